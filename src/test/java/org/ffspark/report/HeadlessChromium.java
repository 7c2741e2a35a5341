package org.ffspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Chromium run headless, driven over the DevTools protocol on a loopback port: opens a page
 * and evaluates a script in it. No network (background networking off), no sandbox (containers), no GPU.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://127\\.0\\.0\\.1:(\\d+)/\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    HeadlessChromium(Path profile) throws IOException, InterruptedException {
        String binary = System.getenv().getOrDefault("FFSPARK_CHROMIUM", "chromium");
        process = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Integer found = null;
        StringBuilder seen = new StringBuilder();
        String line;
        while (found == null && System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                found = Integer.parseInt(m.group(2));
            }
        }
        if (found == null) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not open its DevTools port:\n" + seen);
        }
        port = found;
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep the pipe from filling up
                }
            } catch (IOException ignored) {
                // the browser is gone
            }
        });
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * Opens {@code page} in a new tab and returns the JSON value of {@code promiseExpression}, evaluated
     * once the page has replaced the tab's blank first document (a loaded machine can take seconds).
     */
    JsonNode evaluate(Path page, String promiseExpression) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/json/new?" + page.toUri()))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String socket = JSON.readTree(created.body()).get("webSocketDebuggerUrl").asText();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            JsonNode loaded = send(socket, "location.protocol === 'file:' && document.readyState === 'complete'");
            if (loaded.path("result").path("result").path("value").asBoolean(false)) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the page did not load in 60 s: " + loaded);
            }
            Thread.sleep(100); // not yet navigated, or its context replaced while asking
        }
        JsonNode reply = send(socket, promiseExpression);
        if (reply.has("error") || reply.path("result").has("exceptionDetails")) {
            throw new IllegalStateException("script failed in the page: " + reply);
        }
        return JSON.readTree(reply.path("result").path("result").path("value").asText());
    }

    /** One Runtime.evaluate of {@code expression} over the tab's DevTools socket: the whole reply. */
    private JsonNode send(String socket, String expression) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(socket), new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    String text = message.toString();
                    message.setLength(0);
                    if (text.contains("\"id\":1")) {
                        answer.complete(text);
                    }
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                answer.completeExceptionally(error);
            }
        }).get(30, TimeUnit.SECONDS);
        try {
            String request = JSON.writeValueAsString(Map.of("id", 1, "method", "Runtime.evaluate", "params",
                    Map.of("expression", expression, "awaitPromise", true, "returnByValue", true)));
            ws.sendText(request, true);
            return JSON.readTree(answer.get(60, TimeUnit.SECONDS));
        } finally {
            ws.abort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** Every {@code <img>} of the page once loaded: how many, and the alt text of those that did not load. */
    static final String IMAGES_LOADED = String.join("\n", List.of(
            "new Promise(resolve => {",
            "  const check = () => {",
            "    if (document.readyState !== 'complete') { setTimeout(check, 50); return; }",
            "    const images = Array.from(document.images);",
            "    resolve(JSON.stringify({",
            "      count: images.length,",
            "      broken: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt),",
            "      sizes: images.map(i => [i.naturalWidth, i.naturalHeight]),",
            "      title: document.title,",
            "      links: Array.from(document.querySelectorAll('figcaption a')).map(a => a.getAttribute('href'))",
            "    }));",
            "  };",
            "  check();",
            "})"));

    static boolean available() {
        String binary = System.getenv().getOrDefault("FFSPARK_CHROMIUM", "chromium");
        if (binary.contains("/")) {
            return Files.isExecutable(Path.of(binary));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }
}
