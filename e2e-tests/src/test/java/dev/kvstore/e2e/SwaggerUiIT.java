package dev.kvstore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A user in a browser writes and reads a key through the coordinator's Swagger UI, against a real
 * cluster. Uses Debian's chromium and chromedriver (never downloads a browser or driver); without
 * them the test is skipped, or fails on CI, where .ci/run must install them.
 */
class SwaggerUiIT {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static LocalCluster cluster;
    private static ChromeDriver browser;
    private static Path profile;

    @RegisterExtension
    static final TestWatcher screenshotOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser == null) {
                return;
            }
            try {
                Path shot = Path.of("target", "SwaggerUiIT-" + context.getRequiredTestMethod().getName() + ".png");
                Files.createDirectories(shot.getParent());
                Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
                System.err.println("screenshot of the failure: " + shot.toAbsolutePath());
            } catch (IOException | RuntimeException e) {
                System.err.println("no screenshot: " + e);
            }
        }
    };

    @BeforeAll
    static void up() throws Exception {
        if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
            String missing = (CHROMIUM.canExecute() ? "" : CHROMIUM + " ") + (CHROMEDRIVER.canExecute() ? "" : CHROMEDRIVER);
            if ("true".equals(System.getenv("CI"))) {
                fail("SwaggerUiIT needs %s; .ci/run must install them (apt-get install -y chromium chromium-driver)",
                        missing.strip());
            }
            Assumptions.abort("SwaggerUiIT skipped: no " + missing.strip()
                    + "; install them with: apt-get install chromium chromium-driver");
        }
        Path data = Files.createTempDirectory("kv-swagger-ui-");
        cluster = new LocalCluster(data, Map.of("KV_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1"));
        cluster.up(2);

        profile = Files.createTempDirectory("kv-chromium-");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                // No background traffic: this machine reaches only a few hosts, and the test needs none.
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--window-size=1280,2000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
            if (profile != null) {
                try (Stream<Path> files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    void putThenGetThroughTryItOut() {
        // Swagger UI percent-encodes path parameters, and an encoded slash is refused: a key without one.
        String key = "swagger-ui-" + UUID.randomUUID();
        String value = "written from Swagger UI " + key;
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        browser.get(cluster.api() + "/swagger-ui/index.html");

        WebElement put = open(wait, "operations-kv-put");
        fillKey(put, key);
        new Select(put.findElement(By.cssSelector("select[aria-label='Request content type']")))
                .selectByVisibleText("text/plain");
        replaceText(put.findElement(By.cssSelector("textarea.body-param__text")), value);
        put.findElement(By.cssSelector("button.execute")).click();
        assertThat(liveStatus(wait, put)).isEqualTo("201");

        WebElement get = open(wait, "operations-kv-get");
        fillKey(get, key);
        get.findElement(By.cssSelector("button.execute")).click();
        assertThat(liveStatus(wait, get)).isEqualTo("200");
        assertThat(get.findElement(By.cssSelector(".live-responses-table tbody .highlight-code pre")).getText())
                .isEqualTo(value);
    }

    /** Expands the operation and switches it to "Try it out"; Swagger UI renders each step's controls after the click. */
    private static WebElement open(WebDriverWait wait, String operationDomId) {
        String operation = "#" + operationDomId + " ";
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(operation + ".opblock-summary-control"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(operation + "button.try-out__btn"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(operation + "button.execute")));
        return browser.findElement(By.id(operationDomId));
    }

    private static void fillKey(WebElement operation, String key) {
        replaceText(operation.findElement(By.cssSelector("tr[data-param-name='key'] input")), key);
    }

    /** Typed like a user would: clear() alone does not reach Swagger UI's React state, which puts the example back. */
    private static void replaceText(WebElement field, String text) {
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        field.sendKeys(text);
    }

    /** The status of the response the operation just received (not the documented ones). */
    private static String liveStatus(WebDriverWait wait, WebElement operation) {
        By status = By.cssSelector(".live-responses-table tbody .response-col_status");
        wait.until(d -> !operation.findElements(status).isEmpty());
        return operation.findElement(status).getText().strip();
    }
}
