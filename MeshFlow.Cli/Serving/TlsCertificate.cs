using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshFlow.Cli.Serving;

/// <summary><c>--tls-cert</c> and <c>--tls-key</c>: a PEM certificate and its private key, loaded or refused in one line.</summary>
internal static class TlsCertificate
{
    public static X509Certificate2? Load(string? certificatePath, string? keyPath)
    {
        switch (certificatePath, keyPath)
        {
            case (null, null):
                return null;
            case (null, _):
                throw new CliException("--tls-key needs --tls-cert: HTTPS takes a certificate and its private key", CliExitCodes.Usage);
            case (_, null):
                throw new CliException("--tls-cert needs --tls-key: HTTPS takes a certificate and its private key", CliExitCodes.Usage);
        }

        foreach (var (path, what) in new[] { (certificatePath, "certificate"), (keyPath, "key") })
        {
            if (!File.Exists(path))
            {
                throw new CliException($"the TLS {what} file '{path}' does not exist", CliExitCodes.Usage);
            }
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new CliException(
                $"the TLS certificate '{certificatePath}' and key '{keyPath}' cannot be used: {ex.Message.ReplaceLineEndings(" ").TrimEnd('.')} " +
                "(they must be PEM files, and the key must be the certificate's own)", CliExitCodes.Usage, ex);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CliException($"the TLS key '{keyPath}' holds no private key for the certificate '{certificatePath}'", CliExitCodes.Usage);
        }

        // Kestrel on some platforms cannot use a key that lives only in memory: re-importing gives it a usable store.
        if (OperatingSystem.IsWindows())
        {
            using (certificate)
            {
                return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
            }
        }

        return certificate;
    }
}
