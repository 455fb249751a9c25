namespace SagaDemo.Host.Composition;

/// <summary>
/// Where Kestrel listens when nothing says: http://localhost:8080, the address of local runs. It is a default,
/// not a setting in appsettings.json: a <c>urls</c> there would override the container image's
/// <c>ASPNETCORE_HTTP_PORTS=8080</c> ("Binding to values defined by URLS instead"), and a pod listening on
/// localhost only is never reached by its probes or its Service. So any of <c>urls</c>, <c>http_ports</c>,
/// <c>https_ports</c> (ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, ...) or Kestrel endpoints wins over it.
/// </summary>
public static class DefaultListenAddress
{
    public const string Url = "http://localhost:8080";

    static readonly string[] ListenKeys = ["urls", "http_ports", "https_ports"];

    public static void Apply(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (ListenKeys.Any(k => !string.IsNullOrWhiteSpace(configuration[k])) || configuration.GetSection("Kestrel:Endpoints").Exists())
            return;
        builder.WebHost.UseUrls(Url);
    }
}
