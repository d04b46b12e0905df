// The Java client of the profile capture: HttpsURLConnection with the JDK's default SSLContext and
// settings, nothing configured. Run: java -Djdk.net.hosts.file=HOSTS TlsClient.java URL
import java.net.URL;
import javax.net.ssl.HttpsURLConnection;

class TlsClient {
    public static void main(String[] args) throws Exception {
        HttpsURLConnection c = (HttpsURLConnection) new URL(args[0]).openConnection();
        c.setConnectTimeout(10000);
        c.setReadTimeout(10000);
        try {
            c.getInputStream().close();
        } catch (Exception expected) {
            // The capture listener's certificate is not trusted: the hello is what was wanted.
        }
    }
}
