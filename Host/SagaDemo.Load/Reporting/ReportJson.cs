using System.Text.Json;
using System.Text.Json.Serialization;
using SagaDemo.Load.Measurement;

namespace SagaDemo.Load.Reporting;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(LoadReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;

/// <summary>The report as JSON: every figure and the per-second series.</summary>
public static class ReportJson
{
    public static string Serialize(LoadReport report) => JsonSerializer.Serialize(report, ReportJsonContext.Default.LoadReport);
}
