package dev.kvstore.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies: a Content-Length over the limit is answered 413 before a byte of the body is
 * read, and a body without one (chunked) fails with {@link BodyTooLargeException} at the first byte
 * past the limit, which the exception handlers answer 413 as well.
 */
public final class BodyLimitFilter extends OncePerRequestFilter {

    private final long limit;
    private final Predicate<HttpServletRequest> exempt;

    /** @param exempt requests that enforce their own limit (and are passed through untouched) */
    public BodyLimitFilter(long limit, Predicate<HttpServletRequest> exempt) {
        this.limit = limit;
        this.exempt = exempt;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return exempt.test(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            ContainerErrors.Problem problem = new ContainerErrors.Problem(413, "Content Too Large",
                    "the request body is " + declared + " bytes; the limit is " + limit + " bytes");
            response.setStatus(problem.status());
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(problem.toJson());
            return;
        }
        chain.doFilter(new Bounded(request, limit), response);
    }

    private static final class Bounded extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream source = super.getInputStream();
                BoundedInputStream bounded = new BoundedInputStream(source, limit);
                stream = new ServletInputStream() {
                    @Override
                    public int read() throws IOException {
                        return bounded.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        return bounded.read(b, off, len);
                    }

                    @Override
                    public boolean isFinished() {
                        return source.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return source.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        source.setReadListener(listener);
                    }
                };
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }
}
