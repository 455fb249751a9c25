using Google.Protobuf;

namespace SagaDemo.Telemetry.Tests.Otlp;

/// <summary>A span as an OTLP trace request carries it (ids as lowercase hex, as in traceparent).</summary>
public sealed record OtlpSpan(string Service, string Scope, string TraceId, string SpanId, string ParentSpanId,
    string Name, OtlpSpanKind Kind, IReadOnlyDictionary<string, string> Attributes, int StatusCode)
{
    public string? Attribute(string key) => Attributes.GetValueOrDefault(key);
}

/// <summary>opentelemetry.proto.trace.v1.Span.SpanKind.</summary>
public enum OtlpSpanKind { Unspecified, Internal, Server, Client, Producer, Consumer }

/// <summary>A metric of an OTLP metrics request: its name, unit and which data it carries.</summary>
public sealed record OtlpMetric(string Service, string Scope, string Name, string Unit, string Data);

/// <summary>A log record of an OTLP logs request.</summary>
public sealed record OtlpLog(string Service, string Scope, string Body, string TraceId, string SpanId, int Severity);

/// <summary>Reads OTLP/protobuf export requests (field numbers of opentelemetry-proto v1).</summary>
public static class OtlpDecoder
{
    // Every signal's request is resource entries (field 1), each with its resource (1) and scope entries (2), each
    // with its scope (1) and items (2): ExportTraceServiceRequest/ResourceSpans/ScopeSpans/Span, and so on.
    private static IEnumerable<T> Items<T>(ByteString request, Func<ProtoMessage, string, string, T> read) =>
        from resource in ProtoMessage.Parse(request).Messages(1)
        let service = ServiceName(resource)
        from scoped in resource.Messages(2)
        let scope = scoped.Message(1)?.String(1) ?? ""
        from item in scoped.Messages(2)
        select read(item, service, scope);

    public static IEnumerable<OtlpSpan> Spans(ByteString request) =>
        Items(request, (span, service, scope) => new OtlpSpan(service, scope,
            Hex(span.Bytes(1)), Hex(span.Bytes(2)), Hex(span.Bytes(4)), span.String(5), (OtlpSpanKind)span.Number(6),
            Attributes(span, 9), (int)(span.Message(15)?.Number(3) ?? 0)));

    public static IEnumerable<OtlpMetric> Metrics(ByteString request) =>
        Items(request, (metric, service, scope) => new OtlpMetric(service, scope, metric.String(1), metric.String(3), DataOf(metric)));

    public static IEnumerable<OtlpLog> Logs(ByteString request) =>
        Items(request, (log, service, scope) => new OtlpLog(service, scope, AnyValue(log.Message(5)), Hex(log.Bytes(9)), Hex(log.Bytes(10)), (int)log.Number(2)));

    // Metric data oneof: gauge = 5, sum = 7, histogram = 9, exponential_histogram = 10, summary = 11.
    private static string DataOf(ProtoMessage metric) =>
        metric.Has(5) ? "gauge" : metric.Has(7) ? "sum" : metric.Has(9) ? "histogram" : metric.Has(10) ? "exponential_histogram" : metric.Has(11) ? "summary" : "none";

    // Resource.attributes = 1 holds service.name.
    private static string ServiceName(ProtoMessage resourceEntry) =>
        resourceEntry.Message(1) is { } resource ? Attributes(resource, 1).GetValueOrDefault("service.name", "") : "";

    // KeyValue: key = 1, value = 2 (AnyValue).
    private static Dictionary<string, string> Attributes(ProtoMessage owner, int field) =>
        owner.Messages(field).GroupBy(kv => kv.String(1)).ToDictionary(g => g.Key, g => AnyValue(g.First().Message(2)));

    // AnyValue oneof: string = 1, bool = 2, int = 3, double = 4 (others are not needed here).
    private static string AnyValue(ProtoMessage? value) =>
        value is null ? ""
        : value.Has(1) ? value.String(1)
        : value.Has(2) ? (value.Number(2) != 0 ? "true" : "false")
        : value.Has(3) ? ((long)value.Number(3)).ToString(System.Globalization.CultureInfo.InvariantCulture)
        : value.Has(4) ? BitConverter.UInt64BitsToDouble(value.Number(4)).ToString(System.Globalization.CultureInfo.InvariantCulture)
        : "";

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);
}
