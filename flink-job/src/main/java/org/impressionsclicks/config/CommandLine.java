package org.impressionsclicks.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.HtmlFormatter;

/**
 * Parses {@code --name value}, {@code --name=value} and bare boolean flags ({@code --bounded}) into
 * a Flink {@link Configuration} over the config-file values. Unknown options are an error.
 */
public final class CommandLine {

    /** Options only the command line knows (not job options). */
    public static final String CONF_DIR = "conf-dir";

    public static final String HELP = "help";

    private final Configuration config;
    private final String confDir;
    private final boolean help;

    private CommandLine(Configuration config, String confDir, boolean help) {
        this.config = config;
        this.confDir = confDir;
        this.help = help;
    }

    /** Finds {@code --conf-dir} before the file is loaded; {@code defaultDir} when absent. */
    public static String confDir(String[] args, String defaultDir) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--" + CONF_DIR) && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith("--" + CONF_DIR + "=")) {
                return args[i].substring(CONF_DIR.length() + 3);
            }
        }
        return defaultDir;
    }

    /** Parses the job's options (and {@code --conf-dir}) over the config-file values. */
    public static CommandLine parse(String[] args, Configuration fileConfig) {
        return parse(args, fileConfig, JobOptions.PREFIX, JobOptions.ALL, true);
    }

    /**
     * Parses {@code options}, whose keys all start with {@code prefix} (the command-line name is the
     * rest of the key), over {@code base}.
     */
    public static CommandLine parse(
            String[] args, Configuration base, String prefix, List<ConfigOption<?>> options, boolean allowConfDir) {
        Map<String, ConfigOption<?>> byName = new TreeMap<>();
        for (ConfigOption<?> option : options) {
            byName.put(option.key().substring(prefix.length()), option);
        }
        Configuration config = new Configuration(base);
        String confDir = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException("unexpected argument '" + arg + "' (options start with --; see --help)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals(HELP)) {
                help = true;
                continue;
            }
            ConfigOption<?> option = byName.get(name);
            if (option == null && !(allowConfDir && name.equals(CONF_DIR))) {
                throw new ConfigException("unknown option --" + name + " (see --help)");
            }
            boolean flag = option != null && option.defaultValue() instanceof Boolean;
            if (value == null) {
                if (flag) {
                    value = "true";
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    value = args[++i];
                } else {
                    throw new ConfigException("option --" + name + " needs a value (see --help)");
                }
            }
            if (option == null) {
                confDir = value;
            } else {
                config.setString(option.key(), value);
            }
        }
        return new CommandLine(config, confDir, help);
    }

    /** Config file values overlaid with the command line. */
    public Configuration configuration() {
        return config;
    }

    public String confDir() {
        return confDir;
    }

    public boolean help() {
        return help;
    }

    /** The {@code --help} text of the run command: every option with its default and meaning. */
    public static String usage(String synopsis) {
        StringBuilder text = new StringBuilder(synopsis)
                .append(
                        "\n\nOptions (also settable as impressions-clicks.<name> in conf/config.yaml; the command line wins):\n");
        text.append(optionList(JobOptions.PREFIX, JobOptions.ALL));
        text.append(String.format("  %-26s %s%n", "--" + CONF_DIR + " DIR", "Folder of config.yaml [default: conf]"));
        text.append(String.format("  %-26s %s%n", "--" + HELP, "This text."));
        text.append("\nThe PostgreSQL password is read from the environment variable ")
                .append(JobOptions.PASSWORD_ENV)
                .append(" only.\n");
        return text.toString();
    }

    /** One line per option: name, meaning, default. */
    public static String optionList(String prefix, List<ConfigOption<?>> options) {
        StringBuilder text = new StringBuilder();
        for (ConfigOption<?> option : options) {
            String name = "--" + option.key().substring(prefix.length());
            String dflt = option.hasDefaultValue() ? String.valueOf(option.defaultValue()) : "(none)";
            text.append(String.format("  %-26s %s [default: %s]%n", name, describe(option), dflt));
        }
        return text.toString();
    }

    private static String describe(ConfigOption<?> option) {
        // Flink's only description formatter writes HTML; the terminal wants the plain text back
        return new HtmlFormatter()
                .format(option.description())
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }
}
