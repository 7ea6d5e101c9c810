package dev.kvstore.k8s;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** What these tests need from outside the module: the repository, kubectl, the packaged apps. */
final class Prerequisites {

    private Prerequisites() {
    }

    /** The repository root: surefire passes it; from an IDE the module directory's parent. */
    static Path repoRoot() {
        String root = System.getProperty("kv.repo.root");
        return (root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent()).normalize();
    }

    /**
     * Stops the test when something it needs is missing: a failure on CI (which must run every check),
     * a skip elsewhere, so that a machine without kubectl can still build.
     */
    static void require(boolean present, String missing) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(missing + " (CI=true, so this is a failure rather than a skip)");
        }
        Assumptions.abort(missing);
    }

    static Path requireFile(Path file, String howToMakeIt) {
        require(Files.isRegularFile(file), file + " is missing; " + howToMakeIt);
        return file;
    }
}
