package dev.starling.data;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The named data sets: where each comes from, its file, its default target and its licence. */
enum Catalog {
    CREDIT_G("credit-g", "credit-g.arff", "class=bad", Origin.DEBIAN_WEKA, """
            credit-g (Statlog German Credit data, 1,000 rows, 20 attributes) as shipped by Debian's weka package \
            (3.6.14-3) in /usr/share/doc/weka/examples/credit-g.arff. The package's copyright file \
            (/usr/share/doc/weka/copyright) licenses Weka's program code under the GNU GPL, version 2 or later \
            (Copyright (C) 1998-2008 University of Waikato), and says nothing about the example data sets. The \
            file's header names its source: Professor Dr. Hans Hofmann, Institut für Statistik und Ökonometrie, \
            Universität Hamburg; it states no licence for the data."""),
    DIABETES("diabetes", "diabetes.arff", "class=tested_positive", Origin.DEBIAN_WEKA, """
            diabetes (Pima Indians Diabetes Database, 768 rows, 8 attributes) as shipped by Debian's weka package \
            (3.6.14-3) in /usr/share/doc/weka/examples/diabetes.arff. The package's copyright file \
            (/usr/share/doc/weka/copyright) licenses Weka's program code under the GNU GPL, version 2 or later \
            (Copyright (C) 1998-2008 University of Waikato), and says nothing about the example data sets. The \
            file's header names its source: original owners the National Institute of Diabetes and Digestive and \
            Kidney Diseases; donor Vincent Sigillito, Applied Physics Laboratory, The Johns Hopkins University \
            (1990); it states no licence for the data."""),
    FLIGHTS("flights", "flights-20k.json", "delay>15", Origin.NPM_VEGA, """
            flights (flights-20k.json, 20,000 rows: date, delay, distance, origin, destination) from the npm \
            package vega-datasets 3.2.1, whose package.json declares the licence BSD-3-Clause (the package holds \
            no LICENSE file). Its datapackage.json lists flights-20k.json with the source "U.S. Bureau of \
            Transportation Statistics", collected under 14 CFR Part 234, and the licence "other-open": "Data \
            Collected Under DOT Regulatory Requirements - License Terms Not Explicitly Specified".""");

    /** How a data set is fetched. */
    enum Origin { DEBIAN_WEKA, NPM_VEGA }

    final String id;
    final String file;
    final String defaultTarget;
    final Origin origin;
    final String licence;

    Catalog(String id, String file, String defaultTarget, Origin origin, String licence) {
        this.id = id;
        this.file = file;
        this.defaultTarget = defaultTarget;
        this.origin = origin;
        this.licence = licence;
    }

    static final List<String> NAMES = Arrays.stream(values()).map(c -> c.id).toList();

    static Optional<Catalog> find(String name) {
        return Arrays.stream(values()).filter(c -> c.id.equals(name)).findFirst();
    }

    static Catalog named(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("there is no data set named '" + name
                + "'; the named data sets are: " + String.join(", ", NAMES)));
    }
}
