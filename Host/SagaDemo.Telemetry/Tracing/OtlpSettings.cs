using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace SagaDemo.Telemetry.Tracing;

/// <summary>
/// The standard OTEL_EXPORTER_OTLP_* settings read from configuration (environment, command line,
/// appsettings) rather than only the environment, which is all the SDK reads without
/// OpenTelemetry.Extensions.Hosting (not in our package feed).
/// </summary>
public sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol, string? Headers)
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Null when no endpoint is configured: then nothing is exported over OTLP.</summary>
    public static OtlpSettings? From(IConfiguration configuration)
    {
        var endpoint = configuration[EndpointKey];
        if (string.IsNullOrWhiteSpace(endpoint))
            return null;
        var protocol = configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] is "http/protobuf"
            ? OtlpExportProtocol.HttpProtobuf
            : OtlpExportProtocol.Grpc;
        return new OtlpSettings(new Uri(endpoint), protocol, configuration["OTEL_EXPORTER_OTLP_HEADERS"]);
    }

    /// <summary>
    /// Over HTTP the base endpoint gets the signal's path ("v1/traces"), as the specification says
    /// for OTEL_EXPORTER_OTLP_ENDPOINT; gRPC uses the endpoint as given.
    /// </summary>
    public void Apply(OtlpExporterOptions options, string signalPath)
    {
        options.Protocol = Protocol;
        options.Endpoint = Protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(Endpoint.ToString().TrimEnd('/') + "/" + signalPath)
            : Endpoint;
        if (Headers is not null)
            options.Headers = Headers;
    }
}
