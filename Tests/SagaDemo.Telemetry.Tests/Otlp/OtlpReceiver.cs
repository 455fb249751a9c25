using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SagaDemo.Telemetry.Tests.Otlp;

/// <summary>
/// A minimal OTLP/HTTP receiver on 127.0.0.1 (no collector binary is obtainable here): it accepts what the
/// SDK's OTLP exporter posts to /v1/traces, /v1/metrics and /v1/logs (application/x-protobuf), answers as a
/// collector does (200, an empty export response), and decodes every request so tests assert on spans,
/// metrics and log records rather than on byte counts.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Signal, string? ContentType, ByteString Body)> _requests = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>The base endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT takes it.</summary>
    public string Endpoint => _app.Urls.First();

    public IReadOnlyList<string?> ContentTypes => _requests.Select(r => r.ContentType).ToList();

    public IReadOnlyList<OtlpSpan> Spans => Decode("traces", OtlpDecoder.Spans);

    public IReadOnlyList<OtlpMetric> Metrics => Decode("metrics", OtlpDecoder.Metrics);

    public IReadOnlyList<OtlpLog> Logs => Decode("logs", OtlpDecoder.Logs);

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver._requests.Enqueue((signal, context.Request.ContentType, ByteString.CopyFrom(body.ToArray())));
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return receiver;
    }

    private List<T> Decode<T>(string signal, Func<ByteString, IEnumerable<T>> decode) =>
        _requests.Where(r => r.Signal == signal).SelectMany(r => decode(r.Body)).ToList();

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
