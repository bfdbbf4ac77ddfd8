package dev.dockaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 reply parsing the Engine API client relies on, fed the bytes a daemon sends. */
class HttpWireTest {

    private static EngineResponse parse(String wire) throws IOException {
        return HttpWire.readResponse(in(wire), false);
    }

    private static InputStream in(String wire) {
        return new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String body(EngineResponse r) throws IOException {
        return new String(r.body().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void contentLengthBodyStopsAtTheLength() throws IOException {
        // what follows the body (a pipelined or stray byte) must not be read as body
        EngineResponse r = parse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}GARBAGE");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(body(r)).isEqualTo("{\"a\":1}");
        assertThat(r.body().read()).isEqualTo(-1);
    }

    @Test
    void contentLengthBodyThatEndsEarlyIsAnError() throws IOException {
        EngineResponse r = parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
        assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(EOFException.class)
                .hasMessageContaining("ended early");
        EngineResponse single = parse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nab");
        assertThat(single.body().read()).isEqualTo('a');
        assertThat(single.body().read()).isEqualTo('b');
        assertThatThrownBy(() -> single.body().read()).isInstanceOf(EOFException.class);
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() throws IOException {
        String wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "1\r\n \r\n"
                + "A; quoted=\"x;y\"\r\n0123456789\r\n"
                + "0\r\nX-Trailer: one\r\nX-Other: two\r\n\r\n"
                + "NEXT";
        InputStream raw = in(wire);
        EngineResponse r = HttpWire.readResponse(raw, false);
        assertThat(body(r)).isEqualTo("hello 0123456789");
        // the trailers and final CRLF are consumed, nothing beyond
        assertThat(new String(raw.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("NEXT");
    }

    @Test
    void chunkedBodyReadOneByteAtATime() throws IOException {
        EngineResponse r = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
        StringBuilder sb = new StringBuilder();
        for (int b; (b = r.body().read()) >= 0; ) {
            sb.append((char) b);
        }
        assertThat(sb).hasToString("abcde");
    }

    @Test
    void chunkSizesAreHexAndMayBeUpperCase() throws IOException {
        String data = "x".repeat(0x1F);
        assertThat(body(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1F\r\n" + data + "\r\n0\r\n\r\n")))
                .isEqualTo(data);
    }

    @Test
    void chunkedBodyThatEndsEarlyIsAnError() throws IOException {
        // inside a chunk's data
        assertThatThrownBy(() -> body(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\nabc")))
                .isInstanceOf(EOFException.class).hasMessageContaining("chunked reply ended early");
        // before the next chunk's size line
        assertThatThrownBy(() -> body(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")))
                .isInstanceOf(EOFException.class);
        // a daemon that dies without the last-chunk marker must not look like a complete reply
        assertThatThrownBy(() -> body(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc")))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void badChunkSizeIsAnError() {
        assertThatThrownBy(() -> body(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("bad chunk size 'zz'");
    }

    @Test
    void chunkedWinsOverContentLength() throws IOException {
        // RFC 9112 6.3: with both, Transfer-Encoding decides
        assertThat(body(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n")))
                .isEqualTo("abcd");
    }

    @Test
    void withoutLengthTheBodyRunsToTheEndOfTheConnection() throws IOException {
        assertThat(body(parse("HTTP/1.0 200 OK\r\nServer: old\r\n\r\nall of it\nand more"))).isEqualTo("all of it\nand more");
    }

    @Test
    void headersAreCaseInsensitiveAndRepeatedOnesAreJoined() throws IOException {
        EngineResponse r = parse("HTTP/1.1 200 OK\r\nAPI-Version: 1.41\r\nWarning: a\r\nwarning: b\r\nNoValue:\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertThat(r.header("api-version")).isEqualTo("1.41");
        assertThat(r.header("Warning")).isEqualTo("a, b");
        assertThat(r.header("novalue")).isEmpty();
    }

    @Test
    void bareLineFeedsAreAccepted() throws IOException {
        EngineResponse r = parse("HTTP/1.1 404 Not Found\nContent-Length: 2\n\nno");
        assertThat(r.status()).isEqualTo(404);
        assertThat(body(r)).isEqualTo("no");
    }

    @Test
    void emptyRepliesHaveEmptyBodiesThatStillCloseTheConnection() throws IOException {
        for (String status : new String[] {"204 No Content", "304 Not Modified"}) {
            ClosingStream conn = new ClosingStream("HTTP/1.1 " + status + "\r\nContent-Length: 5\r\n\r\n");
            EngineResponse r = HttpWire.readResponse(conn, false);
            assertThat(r.body().read()).isEqualTo(-1);
            r.close();
            assertThat(conn.closed).as("connection closed with the %s reply", status).isTrue();
        }
        ClosingStream conn = new ClosingStream("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        EngineResponse head = HttpWire.readResponse(conn, true);
        assertThat(head.body().readAllBytes()).isEmpty();
        head.close();
        assertThat(conn.closed).isTrue();
    }

    @Test
    void noReplyAtAllIsAnEofError() {
        assertThatThrownBy(() -> parse("")).isInstanceOf(EOFException.class)
                .hasMessageContaining("closed the connection without replying");
    }

    @Test
    void connectionClosedInsideTheHeadersIsAnEofError() {
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n"))
                .isInstanceOf(EOFException.class).hasMessageContaining("inside the HTTP headers");
    }

    @Test
    void notHttpIsAnError() {
        assertThatThrownBy(() -> parse("SSH-2.0-OpenSSH_9.2\r\n")).isInstanceOf(IOException.class)
                .hasMessageContaining("not an HTTP reply");
        assertThatThrownBy(() -> parse("HTTP/1.1 abc OK\r\n\r\n")).isInstanceOf(IOException.class)
                .hasMessageContaining("bad HTTP status line");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n")).isInstanceOf(IOException.class)
                .hasMessageContaining("bad Content-Length");
    }

    @Test
    void endlessLinesAndHeadersAreRefused() {
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nX: " + "a".repeat(20_000) + "\r\n\r\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("longer than");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(300) + "\r\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("too many HTTP headers");
    }

    /** A connection whose close we can observe. */
    private static final class ClosingStream extends FilterInputStream {
        boolean closed;

        ClosingStream(String wire) {
            super(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)));
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }
}
