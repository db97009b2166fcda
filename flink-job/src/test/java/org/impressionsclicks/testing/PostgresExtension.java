package org.impressionsclicks.testing;

import java.util.Locale;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class a fresh PostgreSQL database, injected as a {@link PostgresDatabase} parameter of
 * constructors, {@code @BeforeAll} and test methods.
 *
 * <p>The database is named after the class ({@code ic_<classname>}, e.g. {@code ic_postgrestablesitcase}),
 * dropped and created again before the class runs and kept afterwards for inspection. All classes of a
 * test JVM share one server, found as described in {@link SharedPostgres#locate()}; when there is none
 * the class fails, it is never skipped.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(PostgresExtension.class);
    private static final int MAX_IDENTIFIER_LENGTH = 63;

    @Override
    public void beforeAll(ExtensionContext context) {
        database(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return database(context);
    }

    /** The database of the current test class, created on first use (lifecycle per class may need it early). */
    private static PostgresDatabase database(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        testClass,
                        key -> server(context).freshDatabase(databaseName(testClass)),
                        PostgresDatabase.class);
    }

    private static SharedPostgres server(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedPostgres.class, key -> SharedPostgres.locate(), SharedPostgres.class);
    }

    /** {@code ic_} and the class name without its package, lower case, e.g. {@code ic_outertest_inner}. */
    static String databaseName(Class<?> testClass) {
        String className = testClass.getName().substring(testClass.getName().lastIndexOf('.') + 1);
        String name = "ic_" + className.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return name.substring(0, Math.min(name.length(), MAX_IDENTIFIER_LENGTH));
    }
}
