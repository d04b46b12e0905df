// The Java 17 client of the emulation comparison: one TLS handshake with the JDK's defaults (the
// default SSLContext and trust manager, with the test root in a trust store so that trust does not
// decide). Prints OK, or the exception. Run: java -Djavax.net.ssl.trustStore=... Handshake.java PORT
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

class Handshake {
    public static void main(String[] args) throws Exception {
        try (SSLSocket s = (SSLSocket) SSLSocketFactory.getDefault().createSocket("127.0.0.1", Integer.parseInt(args[0]))) {
            s.setSoTimeout(10000);
            s.startHandshake();
            System.out.println("OK " + s.getSession().getProtocol() + " " + s.getSession().getCipherSuite());
        } catch (Exception e) {
            System.out.println("FAILED " + e);
        }
    }
}
