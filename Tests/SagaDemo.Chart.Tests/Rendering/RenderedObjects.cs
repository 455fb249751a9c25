using Newtonsoft.Json.Linq;

namespace SagaDemo.Chart.Tests.Rendering;

/// <summary>Finding things in what helm rendered.</summary>
public static class RenderedObjects
{
    public static IEnumerable<JObject> OfKind(this IEnumerable<JObject> objects, string kind) =>
        objects.Where(o => (string?)o["kind"] == kind);

    public static string Name(this JObject o) => (string)o["metadata"]!["name"]!;

    public static JObject Single(this IEnumerable<JObject> objects, string kind, string name) =>
        objects.OfKind(kind).Single(o => o.Name() == name);

    /// <summary>The role a Deployment runs (env Roles of its container), or null for kafka-exporter.</summary>
    public static string? Role(this JObject deployment) =>
        (string?)deployment.SelectToken("spec.template.spec.containers[0].env")?.FirstOrDefault(e => (string?)e["name"] == "Roles")?["value"];

    public static JObject Container(this JObject workload) =>
        (JObject)workload.SelectToken("spec.template.spec.containers[0]")!;

    /// <summary>A ConfigMap's or Secret's entries (stringData for Secrets as the chart writes them).</summary>
    public static IReadOnlyDictionary<string, string> Entries(this JObject configMapOrSecret) =>
        ((JObject?)(configMapOrSecret["data"] ?? configMapOrSecret["stringData"]))?.Properties()
            .ToDictionary(p => p.Name, p => (string)p.Value!) ?? new Dictionary<string, string>();
}
