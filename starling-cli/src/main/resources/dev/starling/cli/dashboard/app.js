// The Starling dashboard: one page, two views (the networks of a store, one network), live through Server-Sent
// Events. Everything it draws comes from the JSON API under /api/; charts are uPlot, served from this machine.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const c of children.flat()) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
};
const STATES = ['QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED'];
const COLORS = { FINISHED: '#1f77b4', FAILED: '#d62728', CANCELLED: '#8c8c8c', RUNNING: '#9ecae1' };
const fmt = (x, digits = 4) => (x === null || x === undefined || Number.isNaN(x)) ? '–'
  : (Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0)) ? x.toExponential(3) : +x.toFixed(digits) + '';
const seconds = s => s < 60 ? s.toFixed(1) + ' s' : s < 3600 ? (s / 60).toFixed(1) + ' min' : (s / 3600).toFixed(1) + ' h';
const hue = i => `hsl(${(i * 137.508) % 360}, 65%, 45%)`;

// The control token arrives once in the fragment (#token=...), which the browser never sends to the server.
(function keepToken() {
  const m = location.hash.match(/token=([A-Za-z0-9_-]+)/);
  if (m) {
    sessionStorage.setItem('starling-token', m[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
})();

function live(on, text) {
  const l = $('#live');
  l.className = 'live ' + (on ? 'on' : 'off');
  l.textContent = text;
}

function problem(text) {
  const p = $('#problem');
  p.hidden = !text;
  p.textContent = text || '';
}

function stream(url, handlers) {
  const source = new EventSource(url);
  for (const [event, handle] of Object.entries(handlers)) {
    source.addEventListener(event, e => {
      try {
        handle(JSON.parse(e.data));
      } catch (error) {
        // Shown, not swallowed: a page that silently stops updating looks like a network that stopped.
        problem(`the page could not show a '${event}' update: ${error} ${error.stack || ''}`);
        throw error;
      }
    });
  }
  source.onopen = () => live(true, 'live');
  source.onerror = () => live(false, 'reconnecting…');
  return source;
}

// ---------------------------------------------------------------- the networks of the store

function networksPage() {
  $('#where').textContent = 'networks';
  const table = el('table', { id: 'networks' },
    el('thead', {}, el('tr', {}, el('th', {}, 'network'), el('th', {}, 'kind'),
      ...STATES.map(s => el('th', { class: 'num' }, s.toLowerCase())),
      el('th', { class: 'num' }, 'workers alive'), el('th', { class: 'num' }, 'lost'), el('th', {}, 'budget used'))),
    el('tbody'));
  $('#main').append(el('section', {}, el('h2', {}, 'Networks'), table,
    el('p', { id: 'none', class: 'muted', hidden: '' }, 'This store holds no network yet.')));
  stream('/api/events', {
    networks: list => {
      problem(null);
      live(true, 'live · ' + new Date().toLocaleTimeString());
      const body = $('tbody', table);
      body.replaceChildren(...list.map(n => {
        const href = '/networks/' + encodeURIComponent(n.name);
        const used = n.budget.limit === null ? n.budget.used + ' (no budget)'
          : `${n.budget.used} of ${n.budget.limit}`;
        return el('tr', { class: 'clickable', 'data-network': n.name, onclick: () => { location.href = href; } },
          el('td', {}, el('a', { href }, n.name)), el('td', {}, n.kind),
          ...STATES.map(s => el('td', { class: 'num', 'data-state': s }, n.counts[s])),
          el('td', { class: 'num' }, n.workerCounts.RUNNING), el('td', { class: 'num' }, n.workerCounts.LOST),
          el('td', {}, used));
      }));
      $('#none').hidden = list.length > 0;
    },
    problem: p => problem(p.error),
  });
}

// ---------------------------------------------------------------- one network

function networkPage(name) {
  document.title = name + ' · Starling';
  $('#where').append(el('a', { href: '/' }, 'networks'), ' / ', el('b', {}, name));
  const api = '/api/networks/' + encodeURIComponent(name);
  const state = {
    snapshot: null, receivedAt: 0,
    seen: new Set(), byWorker: new Map(), perSecond: new Map(), latest: [], failures: new Map(),
    evaluations: [], selectedWorker: null, windowSeconds: 120,
    metrics: [], metricCharts: new Map(),
  };

  const main = $('#main');
  main.append(
    el('section', { id: 'summary' }, el('h2', {}, 'Tasks'), el('div', { class: 'counts', id: 'counts' }),
      el('p', { id: 'budget', class: 'muted' }), el('div', { id: 'controls' })),
    el('section', { id: 'metrics', hidden: '' }, el('h2', {}, 'Metrics the run records'),
      el('p', { id: 'metrics-note', class: 'muted' }), el('div', { class: 'charts', id: 'metric-charts' })),
    el('section', { id: 'stream-section' }, el('h2', {}, 'Task stream'),
      el('div', { class: 'toolbar' }, 'one row per worker, a bar per task; window ',
        el('select', { id: 'window', onchange: e => { state.windowSeconds = +e.target.value; drawStream(); } },
          ...[[30, '30 s'], [120, '2 min'], [600, '10 min'], [3600, '1 h'], [0, 'whole run']].map(([v, t]) =>
            el('option', v === 120 ? { value: v, selected: '' } : { value: v }, t))),
        el('span', { id: 'stream-note' })),
      el('canvas', { id: 'stream', height: 200 })),
    el('div', { class: 'grid2' },
      el('section', {}, el('h2', {}, 'Throughput (tasks completed per second)'), el('div', { id: 'throughput' })),
      el('section', {}, el('h2', {}, 'Latest completed tasks'),
        el('div', { class: 'scroll' }, el('table', { id: 'latest' }, el('thead', {}, el('tr', {},
          el('th', {}, 'task'), el('th', {}, 'state'), el('th', {}, 'worker'), el('th', { class: 'num' }, 'seconds'))),
          el('tbody'))))),
    el('section', { id: 'optimization', hidden: '' }, el('h2', {}, 'Optimization'),
      el('p', { id: 'best', class: 'muted' }),
      el('div', { class: 'grid2' },
        el('div', {}, el('h3', {}, 'Best value over time'), el('div', { id: 'best-time' })),
        el('div', {}, el('h3', {}, 'Best value over evaluations'), el('div', { id: 'best-evals' })),
        el('div', {}, el('h3', {}, 'Evaluations by worker (colour = worker)'),
          el('canvas', { id: 'by-worker', height: 300 })),
        el('div', {}, el('h3', {}, 'Parameters (parallel coordinates; dark = better)'),
          el('canvas', { id: 'parallel', height: 300 }))),
      el('h3', {}, 'Top configurations'), el('div', { class: 'scroll' }, el('table', { id: 'top' }))),
    el('section', { id: 'workers-section' }, el('h2', {}, 'Workers'),
      el('div', { class: 'scroll' }, el('table', { id: 'workers' }, el('thead', {}, el('tr', {},
        ...['id', 'host', 'pid', 'state', 'heartbeat', 'task', 'finished', 'failed', 'utilization']
          .map(h => el('th', { class: ['pid', 'heartbeat', 'finished', 'failed'].includes(h) ? 'num' : '' }, h)))),
      el('tbody')))),
    el('div', { class: 'grid2' },
      el('section', {}, el('h2', {}, 'Failures'), el('div', { id: 'failures' },
        el('p', { class: 'muted', id: 'no-failures' }, 'No task has failed.'))),
      el('section', {}, el('h2', { id: 'log-title' }, 'Worker log'),
        el('div', { id: 'log', class: 'log' }, el('p', { class: 'muted' }, 'Click a worker to see its log.')))));

  const throughput = chart($('#throughput'), [{ label: 'tasks/s', stroke: COLORS.FINISHED, fill: 'rgba(31,119,180,0.35)',
    paths: uPlot.paths.bars({ size: [0.9, 40] }) }], 'seconds');
  let bestTime = null;
  let bestEvals = null;

  function now() {
    return state.snapshot ? Date.parse(state.snapshot.at) + (performance.now() - state.receivedAt) : Date.now();
  }

  function onNetwork(snapshot) {
    problem(null);
    state.snapshot = snapshot;
    state.receivedAt = performance.now();
    live(true, 'live · ' + new Date(Date.parse(snapshot.at)).toLocaleTimeString());
    $('#counts').replaceChildren(...STATES.map(s =>
      el('div', { class: 'count ' + s, 'data-state': s, 'data-count': snapshot.counts[s] },
        el('b', {}, snapshot.counts[s]), s.toLowerCase())));
    const b = snapshot.budget;
    const wc = snapshot.workerCounts;
    $('#budget').textContent = (b.limit === null ? `${b.used} tasks created, no budget`
      : `${b.used} of ${b.limit} tasks created`) + ` · workers: ${wc.RUNNING} alive, ${wc.LOST} lost, ${wc.total} in all`;
    controls(snapshot);
    workers(snapshot);
    failures(snapshot.failures);
    if (snapshot.optimization) optimization(snapshot.optimization);
    drawStream();
  }

  function controls(snapshot) {
    const box = $('#controls');
    if (!snapshot.control || box.childElementCount) return;
    const act = (action, question) => async () => {
      if (!confirm(question)) return;
      let token = sessionStorage.getItem('starling-token');
      if (!token) {
        token = prompt('The control token the dashboard printed when it started:');
        if (!token) return;
        sessionStorage.setItem('starling-token', token);
      }
      const response = await fetch(api + '/control/' + action, { method: 'POST', headers: { 'X-Starling-Token': token } });
      const body = await response.json();
      if (response.status === 401) sessionStorage.removeItem('starling-token');
      $('#control-result').textContent = response.ok ? `${action}: ${body.affected} affected` : body.error;
    };
    box.append(el('div', { class: 'toolbar' }, 'control:',
      el('button', { id: 'terminate', onclick: act('terminate', 'Ask every running worker to finish its task and stop?') },
        'terminate workers'),
      el('button', { id: 'kill', class: 'danger', onclick: act('kill', 'Stop every running worker now? Their tasks are run again.') },
        'kill workers'),
      el('button', { id: 'cancel', class: 'danger', onclick: act('cancel', 'Cancel every queued task?') },
        'cancel queued tasks'),
      el('span', { id: 'control-result' })));
  }

  function workers(snapshot) {
    const body = $('#workers tbody');
    body.replaceChildren(...snapshot.workers.map(w => el('tr', {
      class: 'clickable' + (w.id === state.selectedWorker ? ' selected' : ''), 'data-worker': w.id,
      onclick: () => showLog(w.id),
    }, el('td', {}, w.id), el('td', {}, w.host), el('td', { class: 'num' }, w.pid),
    el('td', { class: 'state-' + w.state }, w.state),
    el('td', { class: 'num' }, w.state === 'RUNNING' ? seconds(w.heartbeatAge) + ' ago' : '–'),
    el('td', {}, w.task === null ? '–' : w.task), el('td', { class: 'num' }, w.finished),
    el('td', { class: 'num' }, w.failed),
    el('td', {}, el('span', { class: 'bar' }, el('i', { style: `width:${Math.round(w.utilization * 100)}%` })),
      ' ' + Math.round(w.utilization * 100) + ' %'))));
  }

  async function showLog(worker) {
    state.selectedWorker = worker;
    $('#log-title').textContent = 'Log of ' + worker;
    const response = await fetch(api + '/workers/' + encodeURIComponent(worker) + '/log');
    const events = await response.json();
    const box = $('#log');
    if (!response.ok) { box.replaceChildren(el('p', { class: 'muted' }, events.error)); return; }
    box.replaceChildren(...(events.length ? events.map(e => el('div', { class: e.level },
      `${e.time.replace('T', ' ').replace('Z', '')} ${e.level} ${e.message}`))
      : [el('p', { class: 'muted' }, 'No log events.')]));
    workers(state.snapshot);
  }

  function failures(list) {
    for (const t of list) state.failures.set(t.id, t);
    const box = $('#failures');
    // Rebuilt only when a failure is new, so that a stack trace opened by a click stays open.
    if (!state.failures.size || box.dataset.shown === String(state.failures.size)) return;
    box.dataset.shown = state.failures.size;
    const open = new Set([...box.querySelectorAll('details[open]')].map(d => +d.dataset.task));
    const shown = [...state.failures.values()].sort((a, b) => b.id - a.id).slice(0, 100);
    box.replaceChildren(...shown.map(t => el('details', { class: 'failure', 'data-task': t.id, open: open.has(t.id) ? '' : null },
      el('summary', {}, `task ${t.id} on ${t.worker ?? '–'}: `, el('span', { class: 'type' }, t.error?.type ?? 'failed'),
        ' ' + (t.error?.message ?? '')),
      el('div', { class: 'muted' }, `kind ${t.error?.kind ?? '–'}, attempts ${t.attempts}, inputs ${JSON.stringify(t.xs)}`),
      el('pre', { class: 'stack' }, t.error?.stackTrace || '(no stack trace)'))));
  }

  function onTasks(page) {
    for (const r of page.rows) {
      const [id, worker, started, finished, st] = r;
      if (state.seen.has(id)) continue;
      state.seen.add(id);
      if (worker !== null && started !== null && finished !== null) {
        if (!state.byWorker.has(worker)) state.byWorker.set(worker, []);
        state.byWorker.get(worker).push(r);
      }
      if (finished !== null) {
        const s = Math.floor(finished / 1000);
        state.perSecond.set(s, (state.perSecond.get(s) || 0) + 1);
      }
      state.latest.push(r);
    }
    if (state.latest.length > 50) state.latest.splice(0, state.latest.length - 50);
    failures(page.failed);
    const body = $('#latest tbody');
    body.replaceChildren(...state.latest.slice().reverse().map(([id, worker, started, finished, st]) =>
      el('tr', { 'data-task': id }, el('td', {}, id), el('td', { style: `color:${COLORS[st] || ''}` }, st),
        el('td', {}, worker ?? '–'),
        el('td', { class: 'num' }, started && finished ? ((finished - started) / 1000).toFixed(3) : '–'))));
    drawThroughput();
    drawStream();
  }

  function drawThroughput() {
    if (!state.perSecond.size) return;
    let lo = Infinity, hi = -Infinity;
    for (const k of state.perSecond.keys()) { if (k < lo) lo = k; if (k > hi) hi = k; }
    const span = hi - lo + 1;
    const bucket = Math.max(1, Math.ceil(span / 300));
    const x = [], y = [];
    for (let s = lo; s <= hi; s += bucket) {
      let n = 0;
      for (let k = s; k < s + bucket; k++) n += state.perSecond.get(k) || 0;
      x.push(s - lo);
      y.push(n / bucket);
    }
    throughput.setData([x, y]);
  }

  function drawStream() {
    const snapshot = state.snapshot;
    const canvas = $('#stream');
    if (!snapshot) return;
    const rows = snapshot.workers.slice().sort((a, b) => a.ordinal - b.ordinal);
    const rowOf = new Map(rows.map((w, i) => [w.id, i]));
    const rowHeight = rows.length > 100 ? 2 : rows.length > 40 ? 6 : 16;
    const left = rowHeight >= 12 ? 110 : 10;
    const { g, width, height } = prepare(canvas, Math.max(60, rows.length * rowHeight + 30));
    const end = now();
    let start = end - state.windowSeconds * 1000;
    if (!state.windowSeconds) {
      start = end;
      for (const list of state.byWorker.values()) if (list.length && list[0][2] < start) start = list[0][2];
      for (const w of rows) if (w.taskStarted) start = Math.min(start, Date.parse(w.taskStarted));
      if (start === end) start = end - 1000;
    }
    const scale = (width - left - 10) / (end - start);
    const xOf = t => left + (t - start) * scale;
    g.font = '11px system-ui, sans-serif';
    rows.forEach((w, i) => {
      g.fillStyle = i % 2 ? '#fafafa' : '#f1f3f5';
      g.fillRect(left, i * rowHeight, width - left - 10, rowHeight);
      if (left > 10) {
        g.fillStyle = w.state === 'RUNNING' ? '#1d2330' : '#9ca3af';
        g.fillText(w.id.length > 16 ? w.id.slice(0, 15) + '…' : w.id, 4, i * rowHeight + rowHeight - 4);
      }
    });
    let bars = 0;
    const pad = rowHeight > 4 ? 2 : 0;
    for (const [worker, list] of state.byWorker) {
      const row = rowOf.get(worker);
      if (row === undefined) continue;
      // Rows come in completion order, so bars that ended before the window are skipped from the start.
      let lo = 0, hi = list.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid][3] < start) lo = mid + 1; else hi = mid; }
      for (let k = lo; k < list.length; k++) {
        const [, , s, f, st] = list[k];
        if (f < start || s > end) continue;
        g.fillStyle = COLORS[st] || COLORS.FINISHED;
        const x0 = Math.max(left, xOf(s));
        g.fillRect(x0, row * rowHeight + pad, Math.max(1, xOf(f) - x0), rowHeight - 2 * pad);
        bars++;
      }
    }
    for (const w of rows) {
      if (w.taskStarted === null) continue;
      const s = Date.parse(w.taskStarted);
      g.fillStyle = COLORS.RUNNING;
      const x0 = Math.max(left, xOf(s));
      g.fillRect(x0, rowOf.get(w.id) * rowHeight + pad, Math.max(1, xOf(end) - x0), rowHeight - 2 * pad);
      bars++;
    }
    g.fillStyle = '#6b7280';
    const axisY = rows.length * rowHeight + 16;
    const span = (end - start) / 1000;
    g.fillText('-' + seconds(span), left, axisY);
    g.fillText('now', width - 35, axisY);
    canvas.dataset.rows = rows.length;
    canvas.dataset.bars = bars;
    $('#stream-note').textContent = `${rows.length} workers, ${bars} bars in view · blue finished, red failed, ` +
      'light blue running';
  }

  // ---- optimization

  function optimization(opt) {
    $('#optimization').hidden = false;
    const outcome = opt.outcomes[0];
    if (opt.best) {
      $('#best').textContent = `best ${outcome.name} = ${fmt(opt.best.outcomes[outcome.name], 6)} (${outcome.maximize
        ? 'maximized' : 'minimized'}) by evaluation ${opt.best.id} on ${opt.best.worker}; ${opt.evaluations} evaluations`;
    } else {
      $('#best').textContent = `${outcome.maximize ? 'maximizing' : 'minimizing'} ${outcome.name}; no evaluation has finished yet`;
    }
    const params = opt.top.length ? Object.keys(opt.top[0].config) : Object.keys(opt.space || {});
    const top = $('#top');
    top.replaceChildren(el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'evaluation'),
      el('th', { class: 'num' }, outcome.name), el('th', {}, 'worker'), ...params.map(p => el('th', {}, p)))),
    el('tbody', {}, ...opt.top.map((e, i) => el('tr', { 'data-evaluation': e.id }, el('td', {}, i + 1),
      el('td', {}, e.id), el('td', { class: 'num' }, fmt(e.outcomes[outcome.name], 6)), el('td', {}, e.worker),
      ...params.map(p => el('td', {}, typeof e.config[p] === 'number' ? fmt(e.config[p]) : String(e.config[p] ?? '–')))))));
  }

  function onEvaluations(page) {
    state.evaluations.push(...page.evaluations);
    drawOptimization();
  }

  function drawOptimization() {
    const opt = state.snapshot?.optimization;
    if (!opt || !state.evaluations.length) return;
    const maximize = opt.outcomes[0].maximize;
    const done = state.evaluations.filter(e => e[2] !== null && e[3] !== null).sort((a, b) => a[2] - b[2]);
    if (!done.length) return;
    const t0 = done[0][2];
    const xs = [], values = [], best = [], idx = [];
    let b = null;
    done.forEach((e, i) => {
      b = b === null ? e[3] : maximize ? Math.max(b, e[3]) : Math.min(b, e[3]);
      xs.push((e[2] - t0) / 1000);
      idx.push(i + 1);
      values.push(e[3]);
      best.push(b);
    });
    const series = [{ label: 'evaluation', stroke: '#aaa', paths: () => null, points: { show: true, size: 4, fill: '#aaa' } },
      { label: 'best so far', stroke: COLORS.FINISHED, width: 2 }];
    // Positive values that span decades (most benchmark losses) read better on a log scale.
    const log = logScale(values);
    if (bestTime && bestTime.logScale !== log) { bestTime.destroy(); bestEvals.destroy(); bestTime = bestEvals = null; }
    if (!bestTime) {
      bestTime = chart($('#best-time'), series, 'seconds', log);
      bestEvals = chart($('#best-evals'), series, 'evaluations', log);
    }
    bestTime.setData([xs, values, best]);
    bestEvals.setData([idx, values, best]);
    drawByWorker(done, t0, log);
    drawParallel(done, maximize);
  }

  function workerIndex() {
    const order = new Map();
    (state.snapshot?.workers || []).forEach(w => order.set(w.id, w.ordinal));
    return order;
  }

  function drawByWorker(done, t0, log) {
    const canvas = $('#by-worker');
    const { g, width, height } = prepare(canvas);
    const order = workerIndex();
    const v = x => log ? Math.log10(x) : x;
    let lo = Infinity, hi = -Infinity;
    for (const e of done) { lo = Math.min(lo, v(e[3])); hi = Math.max(hi, v(e[3])); }
    if (lo === hi) { lo -= 1; hi += 1; }
    const tMax = Math.max(1, (done[done.length - 1][2] - t0) / 1000);
    const m = 40;
    const shown = x => fmt(log ? 10 ** x : x);
    axes(g, width, height, m, `${shown(lo)} … ${shown(hi)}${log ? ' (log scale)' : ''}`, `0 … ${seconds(tMax)}`);
    for (const e of done) {
      const x = m + ((e[2] - t0) / 1000) / tMax * (width - m - 10);
      const y = height - m + 10 - (v(e[3]) - lo) / (hi - lo) * (height - m - 10);
      g.fillStyle = hue(order.get(e[1]) ?? 0);
      g.beginPath();
      g.arc(x, y, 3, 0, 2 * Math.PI);
      g.fill();
    }
    canvas.dataset.points = done.length;
  }

  function drawParallel(done, maximize) {
    const canvas = $('#parallel');
    const space = state.snapshot.optimization.space;
    const names = Object.keys(space || {});
    const { g, width, height } = prepare(canvas);
    if (!names.length) return;
    const shown = done.slice(-2000);
    let lo = Infinity, hi = -Infinity;
    for (const e of shown) { lo = Math.min(lo, e[3]); hi = Math.max(hi, e[3]); }
    const m = 30;
    const xOf = i => m + i * (width - 2 * m) / Math.max(1, names.length - 1);
    const yOf = u => 20 + (1 - u) * (height - 50);
    g.strokeStyle = '#9ca3af';
    g.fillStyle = '#1d2330';
    g.font = '11px system-ui, sans-serif';
    names.forEach((n, i) => {
      g.beginPath(); g.moveTo(xOf(i), yOf(0)); g.lineTo(xOf(i), yOf(1)); g.stroke();
      const p = space[n];
      g.fillText(n, xOf(i) - 20, height - 14);
      if (p.lower !== undefined) {
        g.fillText(fmt(p.upper, 3), xOf(i) + 3, yOf(1) + 4);
        g.fillText(fmt(p.lower, 3), xOf(i) + 3, yOf(0));
      }
    });
    // Worst first, so that the best lines are drawn on top.
    const ranked = shown.slice().sort((a, b) => maximize ? a[3] - b[3] : b[3] - a[3]);
    for (const e of ranked) {
      const q = hi === lo ? 1 : (maximize ? (e[3] - lo) : (hi - e[3])) / (hi - lo);
      g.strokeStyle = `rgba(31, 119, 180, ${0.05 + 0.9 * q ** 3})`;
      g.beginPath();
      let moved = false;
      names.forEach((n, i) => {
        const u = e[4 + i];
        if (u === undefined || u < 0) { moved = false; return; }
        if (moved) g.lineTo(xOf(i), yOf(u)); else { g.moveTo(xOf(i), yOf(u)); moved = true; }
      });
      g.stroke();
    }
  }

  // ---- metrics an algorithm records (loss, residuals, gap, staleness), one chart per name

  const COUNTERS = ['iteration', 'epoch'];

  function onMetrics(page) {
    state.metrics.push(...page.points);
    $('#metrics').hidden = false;
    const points = state.metrics;
    const t0 = points[0].t;
    const names = [];
    for (const p of points) for (const n of Object.keys(p.values)) if (!names.includes(n)) names.push(n);
    const last = points[points.length - 1];
    $('#metrics-note').textContent = `${points.length} points over ${seconds((last.t - t0) / 1000)}; latest: ` +
      names.map(n => `${n} ${fmt(last.values[n])}`).join(', ');
    for (const name of names.filter(n => !COUNTERS.includes(n))) {
      const xs = [], ys = [];
      for (const p of points) {
        if (p.values[name] !== undefined) { xs.push((p.t - t0) / 1000); ys.push(p.values[name]); }
      }
      const log = logScale(ys.filter(v => v > 0)) && ys.every(v => v > 0);
      let entry = state.metricCharts.get(name);
      if (entry && entry.logScale !== log) { entry.destroy(); entry.box.remove(); entry = null; }
      if (!entry) {
        const box = el('div', { 'data-metric': name }, el('h3', {}, name + ' over time'));
        $('#metric-charts').append(box);
        entry = chart(box, [{ label: name, stroke: COLORS.FINISHED, width: 1.5 }], 'seconds', log);
        entry.box = box;
        state.metricCharts.set(name, entry);
      }
      entry.box.dataset.points = xs.length;
      entry.setData([xs, ys]);
    }
  }

  stream(api + '/events', {
    network: onNetwork,
    tasks: onTasks,
    evaluations: onEvaluations,
    metrics: onMetrics,
    problem: p => { problem(p.error); live(false, 'store unreachable'); },
  });
  window.addEventListener('resize', () => { drawStream(); drawOptimization(); });
  // The server retries a store it cannot reach for a while before it says so: say sooner that updates stopped.
  setInterval(() => {
    const quiet = (performance.now() - state.receivedAt) / 1000;
    if (state.snapshot && quiet > 5) {
      live(false, `no update for ${Math.round(quiet)} s`);
      problem(`No update for ${Math.round(quiet)} s: the store may be unreachable (the dashboard retries it) or the ` +
        'dashboard stopped. What is shown is as of ' + new Date(Date.parse(state.snapshot.at)).toLocaleTimeString() + '.');
    }
  }, 1000);
}

// ---------------------------------------------------------------- drawing helpers

function chart(target, series, xLabel, log = false) {
  const width = Math.max(300, target.clientWidth || 500);
  const plot = new uPlot({
    width, height: 260, scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
    axes: [{ label: xLabel }, { size: 64, values: (u, splits) => splits.map(v => log ? decade(v) : fmt(v, 3)) }],
    series: [{ label: xLabel }, ...series],
    legend: { live: false },
  }, [[], ...series.map(() => [])], target);
  plot.logScale = log;
  return plot;
}

// A log axis is labelled at its powers of ten only.
function decade(v) {
  if (!(v > 0)) return '';
  const e = Math.round(Math.log10(v));
  return Math.abs(Math.log10(v) - e) > 1e-9 ? '' : Math.abs(e) >= 3 ? '1e' + e : String(10 ** e);
}

function logScale(values) {
  let lo = Infinity, hi = -Infinity;
  for (const x of values) { if (x < lo) lo = x; if (x > hi) hi = x; }
  return lo > 0 && hi / lo > 100;
}

// Sizes a canvas to its width on the page (and to {@code height}, or its height attribute) at the screen's pixel ratio.
function prepare(canvas, height = +canvas.getAttribute('height') || 300) {
  const width = canvas.clientWidth || 500;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  canvas.style.height = height + 'px';
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);
  return { g, width, height };
}

function axes(g, width, height, m, yText, xText) {
  g.strokeStyle = '#9ca3af';
  g.beginPath();
  g.moveTo(m, 10); g.lineTo(m, height - m + 10); g.lineTo(width - 10, height - m + 10);
  g.stroke();
  g.fillStyle = '#6b7280';
  g.font = '11px system-ui, sans-serif';
  g.fillText(yText, m + 4, 20);
  g.fillText(xText, width - 120, height - m + 26);
}

const path = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
if (path[0] === 'networks' && path.length === 2) networkPage(path[1]);
else networksPage();
