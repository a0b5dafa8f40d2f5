package dev.starling.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    private static final double NaN = Double.NaN;

    @TempDir
    Path dir;

    private static String resource(String name) {
        try {
            return Path.of(DatasetsTest.class.getResource(name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content).toString();
    }

    @Test
    void arff_encodesNumericNominalStringAndDateColumns_andDropsRowsWithoutTarget() {
        Table t = Datasets.load(resource("loans.arff"), "class");

        assertThat(t.name()).isEqualTo("loans");
        assertThat(t.target()).isEqualTo("class");
        assertThat(t.features()).containsExactly("amount", "purpose=new car", "purpose=radio/tv",
                "purpose=it's other", "age", "note=hello, world", "note=plain", "note=x", "when.hour", "when.weekday");
        assertThat(t.rows()).isEqualTo(3);
        assertThat(t.width()).isEqualTo(10);
        double[][] x = t.x();
        assertThat(x[0]).containsExactly(1000, 1, 0, 0, 30, 1, 0, 0, 9.5, 1);
        assertThat(x[1]).containsExactly(2500.5, 0, 1, 0, NaN, 0, 1, 0, 18.75, 6);
        assertThat(x[2]).containsExactly(NaN, 0, 0, 1, 45, NaN, NaN, NaN, NaN, NaN);
        assertThat(t.y()).containsExactly(0, 1, 0); // class {good, bad}: the second declared level is 1
    }

    @Test
    void arff_declaredLevelsAreColumnsEvenWhenUnused() throws IOException {
        String file = write("u.arff", "@relation u\n@attribute c {a,b,c}\n@attribute y numeric\n@data\na,1\nb,2\n");
        assertThat(Datasets.load(file, "y").features()).containsExactly("c=a", "c=b", "c=c");
    }

    @Test
    void csv_readsRfc4180_infersNumericColumns_andParsesDateTimes() throws IOException {
        String file = write("runs.csv", """
                id,city,score,when,status\r
                1,Oslo,0.5,2001/01/14 21:55,ok\r
                2,"Bergen,\r
                West",NA,2001/01/15 06:10,failed\r
                \r
                3,Oslo,,2001/01/16 12:00,\r
                4,"say \"\"hi\"\"",1e3,2001/01/17 23:30,failed\r
                5,?,?,2001/01/18 00:15,ok\r
                """);

        Table t = Datasets.load(file, "status");

        assertThat(t.name()).isEqualTo("runs");
        assertThat(t.features()).containsExactly("id", "city=Oslo", "city=Bergen,\r\nWest", "city=say \"hi\"",
                "score", "when.hour", "when.weekday");
        assertThat(t.rows()).isEqualTo(4); // id 3 has no status
        assertThat(t.x()[0]).containsExactly(1, 1, 0, 0, 0.5, 21 + 55 / 60.0, 7); // 2001-01-14 was a Sunday
        assertThat(t.x()[1]).containsExactly(2, 0, 1, 0, NaN, 6 + 10 / 60.0, 1);
        assertThat(t.x()[2]).containsExactly(4, 0, 0, 1, 1000, 23.5, 3);
        assertThat(t.x()[3]).containsExactly(5, NaN, NaN, NaN, NaN, 0.25, 4);
        assertThat(t.y()).containsExactly(0, 1, 1, 0); // levels in order of appearance: ok, failed
    }

    @Test
    void json_readsRecords_numbersNumeric_stringsNominal_nullMissing() {
        Table t = Datasets.load(resource("flights-mini.json"), "delay>15");

        assertThat(t.name()).isEqualTo("flights-mini");
        assertThat(t.features()).containsExactly("date.hour", "date.weekday", "distance", "origin=DTW", "origin=LAS",
                "ok=true", "ok=false", "extra");
        assertThat(t.rows()).isEqualTo(2); // the record with "delay": null is dropped
        assertThat(t.x()[0]).containsExactly(47 / 60.0, 1, 1750, 1, 0, 1, 0, NaN);
        assertThat(t.x()[1]).containsExactly(6 + 2 / 60.0, 3, NaN, 1, 0, 1, 0, 1.5);
        assertThat(t.y()).containsExactly(1, 0);
    }

    @Test
    void targetSpecs_equalsGreaterLessAndNumericAsIs() {
        String file = resource("flights-mini.json");
        assertThat(Datasets.load(file, "delay").y()).containsExactly(66, -6);
        assertThat(Datasets.load(file, "delay<0").y()).containsExactly(0, 1);
        assertThat(Datasets.load(file, "delay=66").y()).containsExactly(1, 0);
        assertThat(Datasets.load(file, "origin=LAS").y()).containsExactly(0, 1, 0);
        assertThat(Datasets.load(file, " origin = DTW ").y()).containsExactly(1, 0, 1);
        assertThat(Datasets.load(file, "origin").features()).doesNotContain("origin=DTW", "origin=LAS");
    }

    @Test
    void nominalColumn_keepsThirtyMostFrequentLevels_restGoToOther() throws IOException {
        StringBuilder csv = new StringBuilder("c,y\n");
        for (int level = 0; level < 35; level++) {
            for (int k = 0; k < 40 - level; k++) {
                csv.append('L').append(level).append(",1\n");
            }
        }
        csv.append(",0\n");
        Table t = Datasets.load(write("wide.csv", csv.toString()), "y");

        assertThat(t.width()).isEqualTo(31);
        assertThat(t.features().get(0)).isEqualTo("c=L0");
        assertThat(t.features().get(29)).isEqualTo("c=L29");
        assertThat(t.features().get(30)).isEqualTo("c=other");
        double[][] x = t.x();
        assertThat(x[x.length - 2][30]).isEqualTo(1); // the last L34
        assertThat(x[x.length - 1]).containsOnly(NaN); // the missing value
        long ones = List.of(x).stream().filter(row -> row[30] == 1).count();
        assertThat(ones).isEqualTo(10 + 9 + 8 + 7 + 6);
    }

    @Test
    void unknownColumn_namesTheColumnAndListsTheColumns() {
        assertThatThrownBy(() -> Datasets.load(resource("loans.arff"), "clas=bad"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 'clas' is not in loans; its columns are: amount, purpose, age, note, when, class");
    }

    @Test
    void badTargets_sayWhatToGiveInstead() {
        String arff = resource("loans.arff");
        assertThatThrownBy(() -> Datasets.load(arff, "class=bda"))
                .hasMessageContaining("level 'bda' is not in column 'class'; its levels are: good, bad");
        assertThatThrownBy(() -> Datasets.load(arff, "purpose"))
                .hasMessageContaining("has 3 levels (new car, radio/tv, it's other), not 2; give purpose=LEVEL");
        assertThatThrownBy(() -> Datasets.load(arff, "class>1")).hasMessageContaining("compare it with class=LEVEL");
        assertThatThrownBy(() -> Datasets.load(arff, "amount>lots")).hasMessageContaining("'lots' is not a number");
        assertThatThrownBy(() -> Datasets.load(arff, "when")).hasMessageContaining("cannot be a label");
        assertThatThrownBy(() -> Datasets.load(arff, " ")).hasMessageContaining("must not be blank");
    }

    @Test
    void fileWithoutTarget_asksForOneAndListsColumns() {
        assertThatThrownBy(() -> Datasets.load(resource("flights-mini.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no default target; give one")
                .hasMessageContaining("date, delay, distance, origin, ok, extra");
    }

    @Test
    void unknownNamesAndFiles_areClearErrors() {
        assertThatThrownBy(() -> Datasets.load("credit", "class"))
                .hasMessageContaining("'credit' is neither a named data set (credit-g, diabetes, flights) nor a file");
        assertThatThrownBy(() -> Datasets.load(dir.resolve("absent.csv").toString(), "y"))
                .hasMessageContaining("absent.csv' does not exist");
        assertThatThrownBy(() -> Datasets.fetch("iris"))
                .hasMessage("there is no data set named 'iris'; the named data sets are: credit-g, diabetes, flights");
        assertThatThrownBy(() -> Datasets.licence("iris")).hasMessageContaining("no data set named 'iris'");
    }

    @Test
    void malformedArff_namesFileAndLine() throws IOException {
        String head = "% comment\n@relation r\n@attribute a numeric\n@attribute b {x, y}\n@data\n";
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"1,x\n2\n", "line 7: expected 2 values, one per @attribute, found 1"});
        cases.add(new String[] {"1,z\n", "line 6: value 'z' of nominal attribute 'b' is not one of its levels: x, y"});
        cases.add(new String[] {"one,x\n", "line 6: value 'one' of numeric attribute 'a' is not a number"});
        cases.add(new String[] {"1,'x\n", "line 6: the quote ' at column 3 is not closed"});
        cases.add(new String[] {"1,,\n", "line 6: value 2 is empty; write ? for a missing value"});
        cases.add(new String[] {"{0 1, 1 x}\n", "line 6: sparse ARFF"});
        for (String[] c : cases) {
            String file = write("bad.arff", head + c[0]);
            assertThatThrownBy(() -> Datasets.load(file, "a")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(file + " " + c[1]);
        }
        String noData = write("nodata.arff", "@relation r\n@attribute a numeric\n");
        assertThatThrownBy(() -> Datasets.load(noData, "a")).hasMessageContaining("has no @data section");
        String badType = write("type.arff", "@relation r\n@attribute a relational\n@data\n");
        assertThatThrownBy(() -> Datasets.load(badType, "a")).hasMessageContaining("line 2: attribute 'a' has type");
    }

    @Test
    void malformedCsvAndJson_nameFileAndLine() throws IOException {
        String fields = write("fields.csv", "a,b\n1,2\n3\n");
        assertThatThrownBy(() -> Datasets.load(fields, "a"))
                .hasMessage(fields + " line 3: expected 2 fields as in the header, found 1");
        String quote = write("quote.csv", "a,b\n1,2\n3,\"open\n4,5\n");
        assertThatThrownBy(() -> Datasets.load(quote, "a")).hasMessage(quote + " line 3: a quoted field is not closed");
        String header = write("header.csv", "a,a\n1,2\n");
        assertThatThrownBy(() -> Datasets.load(header, "a")).hasMessageContaining("line 1: the header has a repeated");
        String json = write("bad.json", "[\n {\"a\": 1},\n {\"a\": 2,}\n]\n");
        assertThatThrownBy(() -> Datasets.load(json, "a")).hasMessageStartingWith(json + " line 3: not valid JSON");
        String nested = write("nested.json", "[\n {\"a\": 1},\n\n {\"a\": [2]}\n]\n");
        assertThatThrownBy(() -> Datasets.load(nested, "a"))
                .hasMessageStartingWith(nested + " line 4: field 'a' is an array");
        String object = write("object.json", "{\"a\": 1}");
        assertThatThrownBy(() -> Datasets.load(object, "a")).hasMessageContaining("line 1: expected a JSON array");
    }

    @Test
    void names_andLicences() {
        assertThat(Datasets.names()).containsExactly("credit-g", "diabetes", "flights");
        assertThat(Datasets.licence("credit-g")).contains("weka", "GNU GPL", "Hofmann");
        assertThat(Datasets.licence("diabetes")).contains("weka", "National Institute of Diabetes");
        assertThat(Datasets.licence("flights")).contains("BSD-3-Clause", "Bureau of Transportation Statistics");
    }

    @Test
    void hourFraction_isExact() throws IOException {
        String file = write("t.csv", "t,y\n2024-03-05T07:45:36,1\n");
        assertThat(Datasets.load(file, "y").x()[0][0]).isCloseTo(7.76, within(1e-12));
    }
}
