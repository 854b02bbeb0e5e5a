package dev.triage.reliability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Uploads that stall are cut off by the server (triage.http.body-timeout, 2 s in tests) with a JSON 408, and
 * a client that aborts mid-upload is no server error.
 */
@QuarkusTest
class StalledUploadTest {

    static final String HEAD = "POST /classify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";

    @Test
    void aBodyShorterThanItsContentLengthIsAnswered408AndClosedWithinTheTimeout() throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write((HEAD + "Content-Length: 1000\r\n\r\n{\"texts\": [\"stalled").getBytes(StandardCharsets.UTF_8));
            out.flush();
            long start = System.nanoTime();
            String reply = readUntilClosed(socket.getInputStream());
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(reply.startsWith("HTTP/1.1 408"), reply);
            assertTrue(reply.contains("\"error\":\"request body not received within 2 s\""), reply);
            assertTrue(took >= 1_000 && took < 9_000, "closed after " + took + " ms");
        }
    }

    @Test
    void aChunkedBodyThatNeverEndsIsClosedToo() throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write((HEAD + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"tex\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertTrue(readUntilClosed(socket.getInputStream()).startsWith("HTTP/1.1 408"));
        }
    }

    @Test
    void aClientThatAbortsItsUploadIsNotCountedAsAServerError() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (Socket socket = new Socket("localhost", RestAssured.port)) {
                socket.getOutputStream().write((HEAD + "Content-Length: 100000\r\n\r\n{\"texts\": [")
                        .getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                Thread.sleep(50);
                socket.setSoLinger(true, 0); // a reset, as a killed client leaves it
            }
        }
        Thread.sleep(500);
        String metrics = given().get("/q/metrics").asString();
        assertFalse(metrics.matches("(?s).*http_server_requests_seconds_count\\{[^}]*status=\"500\"[^}]*uri=\"/classify\".*"),
                "an abort counted as 500");
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0;) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open: " + bytes.toString(StandardCharsets.UTF_8));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
