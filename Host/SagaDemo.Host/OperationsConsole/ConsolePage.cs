using System.Reflection;

namespace SagaDemo.Host.OperationsConsole;

/// <summary>
/// Serves the console's three static files (embedded in the assembly, so every way of running the host has them) at
/// <c>/console</c>. They hold no data: everything the page shows comes from the API, with the caller's credentials, so
/// the page itself is open like the API's document. Middleware rather than routes: the files are not API operations.
/// </summary>
public static class ConsolePage
{
    public const string Path = "/console";

    static readonly Dictionary<string, (string Resource, string ContentType)> Files = new(StringComparer.Ordinal)
    {
        [Path] = ("console/index.html", "text/html; charset=utf-8"),
        [Path + "/"] = ("console/index.html", "text/html; charset=utf-8"),
        [Path + "/console.js"] = ("console/console.js", "text/javascript; charset=utf-8"),
        [Path + "/console.css"] = ("console/console.css", "text/css; charset=utf-8"),
    };

    static readonly Dictionary<string, byte[]> Contents = Files.Values.Select(f => f.Resource).Distinct()
        .ToDictionary(r => r, Read);

    public static IApplicationBuilder UseConsolePage(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                || !Files.TryGetValue(context.Request.Path.Value ?? "", out var file))
            {
                await next(context);
                return;
            }
            var response = context.Response;
            response.ContentType = file.ContentType;
            response.Headers.CacheControl = "no-cache";
            response.Headers.XContentTypeOptions = "nosniff";
            // Only its own script and style, and calls to its own origin.
            response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
            var content = Contents[file.Resource];
            response.ContentLength = content.Length;
            if (HttpMethods.IsGet(context.Request.Method))
                await response.Body.WriteAsync(content, context.RequestAborted);
        });

    static byte[] Read(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The console file {resource} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
