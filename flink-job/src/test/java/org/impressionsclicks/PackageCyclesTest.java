package org.impressionsclicks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.impressionsclicks.testing.Repo;
import org.junit.jupiter.api.Test;

/**
 * The job's packages depend on each other one way only: no package of {@code src/main/java} reaches
 * itself through others (the root package {@code org.impressionsclicks} counts as one). Nor do the
 * packages of all modules together, which share package names (the launcher's {@code ImpressionsClicks}
 * is in the root package, its {@code LauncherConfig} in {@code config}). A package's dependencies are
 * what its sources name: imports, static imports and fully qualified names in code, not in comments or
 * string literals.
 */
class PackageCyclesTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final String ROOT = "org.impressionsclicks";
    private static final Pattern PACKAGE = Pattern.compile("\\bpackage\\s+([\\w.]+)\\s*;");
    /** A name in a project package: the package, then a type (upper case) or {@code *}. */
    private static final Pattern REFERENCE =
            Pattern.compile("\\b(" + Pattern.quote(ROOT) + "(?:\\.[a-z_][a-z0-9_]*)*)\\.([A-Z]\\w*|\\*)");

    @Test
    void noMainPackageReachesItselfThroughAnother() throws IOException {
        Map<String, Map<String, String>> dependencies = dependencies(mainSources());

        assertThat(dependencies)
                .as("the packages read")
                .containsKeys(ROOT, ROOT + ".config", ROOT + ".sink", ROOT + ".source");
        assertThat(dependencies.get(ROOT))
                .as("what the root package uses")
                .containsKeys(ROOT + ".config", ROOT + ".sink");
        assertThat(cycles(dependencies)).isEmpty();
    }

    @Test
    void noPackageOfAllModulesTogetherReachesItselfThroughAnother() throws IOException {
        Path root = Repo.root();
        Map<String, String> sources = new TreeMap<>();
        // the modules: the root's folders and the benchmark's, each with its src/main/java
        for (Path folder : List.of(root, root.resolve("bench"))) {
            try (Stream<Path> modules = Files.list(folder)) {
                for (Path main : modules.map(m -> m.resolve(MAIN))
                        .filter(Files::isDirectory)
                        .toList()) {
                    sources.putAll(sources(main, root.relativize(main) + "/"));
                }
            }
        }
        Map<String, Map<String, String>> dependencies = dependencies(sources);

        assertThat(dependencies)
                .as("the packages of the modules")
                .containsKeys(ROOT, ROOT + ".config", ROOT + ".generate", ROOT + ".postgres", ROOT + ".bench");
        assertThat(cycles(dependencies)).isEmpty();
    }

    @Test
    void findsTwoCyclesAndALongOneButNotNamesInCommentsOrStrings() {
        Map<String, String> sources = Map.of(
                "a/A.java", "package org.impressionsclicks.a;\nimport org.impressionsclicks.b.B.Inner;\nclass A {}",
                "b/B.java",
                        "package org.impressionsclicks.b;\n/** {@link org.impressionsclicks.d.D} */\nclass B {"
                                + " org.impressionsclicks.c.C c; String s = \"org.impressionsclicks.d.D\"; }",
                "c/C.java", "package org.impressionsclicks.c;\nimport static org.impressionsclicks.a.A.X;\nclass C {}",
                "d/D.java",
                        "package org.impressionsclicks.d;\nimport org.impressionsclicks.*;\n// org.impressionsclicks.e.E\nclass D {}",
                "e/E.java", "package org.impressionsclicks.e;\nimport org.impressionsclicks.Root;\nclass E {}",
                "Root.java", "package org.impressionsclicks;\nimport org.impressionsclicks.e.*;\nclass Root {}");

        Map<String, Map<String, String>> dependencies = dependencies(sources);

        assertThat(dependencies.get(ROOT + ".b"))
                .as("comments and strings name nothing")
                .containsOnlyKeys(ROOT + ".c");
        assertThat(cycles(dependencies))
                .containsExactly(
                        "(root) <-> e: (root) -> e (Root.java: org.impressionsclicks.e.*), e -> (root) (e/E.java: org.impressionsclicks.Root)",
                        "a <-> b <-> c: a -> b (a/A.java: org.impressionsclicks.b.B), b -> c (b/B.java: org.impressionsclicks.c.C),"
                                + " c -> a (c/C.java: org.impressionsclicks.a.A)");
    }

    private static Map<String, String> mainSources() throws IOException {
        return sources(MAIN, "");
    }

    /** The Java sources below {@code main}, by their path in it after {@code prefix}. */
    private static Map<String, String> sources(Path main, String prefix) throws IOException {
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.put(prefix + main.relativize(file), Files.readString(file));
            }
        }
        return sources;
    }

    /** Package to each package it uses, with the first file and name that use it. */
    static Map<String, Map<String, String>> dependencies(Map<String, String> sources) {
        Map<String, Map<String, String>> dependencies = new TreeMap<>();
        for (Map.Entry<String, String> source : new TreeMap<>(sources).entrySet()) {
            String code = codeOnly(source.getValue());
            Matcher declared = PACKAGE.matcher(code);
            String pkg = declared.find() ? declared.group(1) : "";
            Map<String, String> uses = dependencies.computeIfAbsent(pkg, p -> new TreeMap<>());
            Matcher reference = REFERENCE.matcher(code);
            while (reference.find()) {
                String used = reference.group(1);
                if (!used.equals(pkg)) {
                    uses.putIfAbsent(used, source.getKey() + ": " + used + "." + reference.group(2));
                }
            }
        }
        return dependencies;
    }

    /**
     * Every set of packages that reach each other (a strongly connected component of more than one
     * package), with the dependencies inside it: one line each, sorted.
     */
    static List<String> cycles(Map<String, Map<String, String>> dependencies) {
        List<String> cycles = new ArrayList<>();
        for (Set<String> component : new Components(dependencies).found) {
            if (component.size() > 1) {
                String edges = component.stream()
                        .flatMap(from -> dependencies.getOrDefault(from, Map.of()).entrySet().stream()
                                .filter(to -> component.contains(to.getKey()))
                                .map(to ->
                                        shortName(from) + " -> " + shortName(to.getKey()) + " (" + to.getValue() + ")"))
                        .collect(Collectors.joining(", "));
                cycles.add(component.stream().map(PackageCyclesTest::shortName).collect(Collectors.joining(" <-> "))
                        + ": " + edges);
            }
        }
        cycles.sort(null);
        return cycles;
    }

    private static String shortName(String pkg) {
        return pkg.equals(ROOT) ? "(root)" : pkg.startsWith(ROOT + ".") ? pkg.substring(ROOT.length() + 1) : pkg;
    }

    /** {@code source} with its comments, string, text-block and character literals blanked out. */
    static String codeOnly(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            int end;
            if (source.startsWith("//", i)) {
                end = source.indexOf('\n', i);
            } else if (source.startsWith("/*", i)) {
                end = source.indexOf("*/", i + 2);
                end = end < 0 ? -1 : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                end = closing(source, i + 3, "\"\"\"");
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                end = closing(source, i + 1, String.valueOf(source.charAt(i)));
            } else {
                code.append(source.charAt(i++));
                continue;
            }
            end = end < 0 ? source.length() : end;
            code.append(' ');
            i = end;
        }
        return code.toString();
    }

    /** The index after the unescaped {@code quote} that closes a literal whose text starts at {@code from}. */
    private static int closing(String source, int from, String quote) {
        for (int i = from; i < source.length(); i++) {
            if (source.charAt(i) == '\\') {
                i++;
            } else if (source.startsWith(quote, i)) {
                return i + quote.length();
            }
        }
        return -1;
    }

    /** Tarjan's strongly connected components, each as a sorted set. */
    private static final class Components {
        final List<Set<String>> found = new ArrayList<>();
        private final Map<String, Map<String, String>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new HashSet<>();

        Components(Map<String, Map<String, String>> graph) {
            this.graph = graph;
            for (String node : graph.keySet()) {
                if (!index.containsKey(node)) {
                    visit(node);
                }
            }
        }

        private void visit(String node) {
            index.put(node, index.size());
            low.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (String next : graph.getOrDefault(node, Map.of()).keySet()) {
                if (!index.containsKey(next)) {
                    visit(next);
                    low.put(node, Math.min(low.get(node), low.get(next)));
                } else if (onStack.contains(next)) {
                    low.put(node, Math.min(low.get(node), index.get(next)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                Set<String> component = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(node));
                found.add(component);
            }
        }
    }
}
