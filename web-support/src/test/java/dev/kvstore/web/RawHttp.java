package dev.kvstore.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests a real client refuses to send: invalid percent-encoding,
 * oversized headers, a Content-Length the body never reaches, garbage request lines. Every exchange
 * is one request on a fresh connection.
 */
public final class RawHttp {

    /** What came back, how long the first byte of it took, and whether the server closed the connection. */
    public record Response(int status, Map<String, String> headers, String body, long millisToFirstByte,
                           boolean closedByServer) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final int port;
    private final int timeoutMillis;

    public RawHttp(int port, int timeoutMillis) {
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body} as given. */
    public Response send(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            long started = System.nanoTime();
            out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(body);
                out.flush();
            } catch (SocketException refused) {
                // The server answered and closed before taking the whole body; read what it said.
            }
            return read(socket, started);
        }
    }

    /**
     * Sends a chunked body of {@code prefix} and then 'x's, {@code total} bytes in all, in chunks of
     * {@code chunk}, stopping early when the server answers or closes; returns the answer and how many
     * body bytes were written.
     */
    public Chunked sendChunked(String head, String prefix, long total, int chunk) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long started = System.nanoTime();
            out.write((head + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] data = new byte[chunk];
            Arrays.fill(data, (byte) 'x');
            long sent = 0;
            try {
                byte[] first = prefix.getBytes(StandardCharsets.UTF_8);
                if (first.length > 0) {
                    out.write((Integer.toHexString(first.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(first);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    sent += first.length;
                }
                while (sent < total && in.available() == 0) {
                    int n = (int) Math.min(chunk, total - sent);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(data, 0, n);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    sent += n;
                }
                if (sent >= total) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (SocketException closed) {
                // The server refused the rest of the body.
            }
            return new Chunked(read(socket, started), sent);
        }
    }

    public record Chunked(Response response, long bytesSent) {
    }

    private static Response read(Socket socket, long started) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        long firstByte = -1;
        boolean closed = false;
        byte[] buffer = new byte[8192];
        try {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    closed = true;
                    break;
                }
                if (firstByte < 0) {
                    firstByte = (System.nanoTime() - started) / 1_000_000;
                }
                raw.write(buffer, 0, n);
                if (complete(raw.toByteArray())) {
                    closed = closesSoon(socket);
                    break;
                }
            }
        } catch (SocketTimeoutException | SocketException stopped) {
            // Whatever arrived is the answer.
        }
        return parse(raw.toByteArray(), firstByte, closed);
    }

    /** After a whole response: whether the server closes the connection within two seconds. */
    private static boolean closesSoon(Socket socket) throws IOException {
        socket.setSoTimeout(2000);
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Whether a whole response (head and a body of its declared length, or a last chunk) has arrived. */
    private static boolean complete(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        Map<String, String> headers = headers(text.substring(0, end));
        String length = headers.get("content-length");
        if (length != null) {
            return bytes.length - (end + 4) >= Integer.parseInt(length.strip());
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return text.endsWith("\r\n0\r\n\r\n") || text.substring(end + 4).startsWith("0\r\n\r\n");
        }
        return text.startsWith("HTTP/1.1 1") || text.startsWith("HTTP/1.1 204") || text.startsWith("HTTP/1.1 304");
    }

    private static Response parse(byte[] bytes, long firstByte, boolean closed) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Response(-1, Map.of(), text, firstByte, closed);
        }
        String head = text.substring(0, end);
        int status = Integer.parseInt(head.substring(9, 12));
        Map<String, String> headers = headers(head);
        byte[] rest = Arrays.copyOfRange(bytes, end + 4, bytes.length);
        String body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))
                ? dechunk(rest) : new String(rest, StandardCharsets.UTF_8);
        return new Response(status, headers, body, firstByte, closed);
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>(List.of(head.split("\r\n")));
        lines.removeFirst();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip(), (a, b) -> a + ", " + b);
            }
        }
        return headers;
    }

    private static String dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int lineEnd = indexOf(body, i);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(new String(body, i, lineEnd - i, StandardCharsets.ISO_8859_1).strip(), 16);
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            out.write(body, start, Math.min(size, body.length - start));
            i = start + size + 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
