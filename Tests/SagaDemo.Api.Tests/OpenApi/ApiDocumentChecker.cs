using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace SagaDemo.Api.Tests.OpenApi;

/// <summary>
/// Checks a real answer against the service's own OpenAPI document: the operation (method and path template) is
/// documented, the status code is one of its responses, the content type is one the response lists, and the body
/// validates against the response's schema with a JSON Schema 2020-12 validator (JsonSchema.Net, formats
/// asserted). Answers no route gives (404 for an unknown path, 405 for a method the path lacks) must be problems
/// with the document's ProblemDetails schema, as its description says.
/// </summary>
public sealed class ApiDocumentChecker
{
    private const string ProblemDetailsSchema = "ProblemDetails";

    private readonly JsonObject _document;
    private readonly JsonObject _schemas;
    private readonly List<(string[] Segments, int Literals, JsonObject Item)> _paths;
    private readonly ConcurrentDictionary<string, JsonSchema> _compiled = new();

    private readonly Func<HttpMethod, string[], int[]?> _outsideOperations;

    /// <param name="documentJson">The OpenAPI document.</param>
    /// <param name="outsideOperations">
    /// Answers the document describes in words rather than as an operation (a catch-all route), by method and decoded
    /// path segments.
    /// </param>
    public ApiDocumentChecker(string documentJson, Func<HttpMethod, string[], int[]?>? outsideOperations = null)
    {
        _outsideOperations = outsideOperations ?? ((_, _) => null);
        _document = JsonNode.Parse(documentJson)!.AsObject();
        _schemas = _document["components"]?["schemas"]?.AsObject() ?? [];
        _paths = _document["paths"]!.AsObject()
            .Select(p => (p.Key.Split('/'), p.Key.Split('/').Count(s => s.Length > 0 && !s.StartsWith('{')), p.Value!.AsObject()))
            .ToList();
    }

    public JsonObject Document => _document;

    /// <summary>What is wrong with this answer according to the document; null when it conforms.</summary>
    /// <param name="path">The request path as sent (percent-encoded): routing decodes each segment, not "%2F".</param>
    public async Task<string?> CheckAsync(HttpMethod method, string path, HttpResponseMessage response)
    {
        var segments = path.Split('?')[0].Split('/').Select(Uri.UnescapeDataString).ToArray();
        path = string.Join('/', segments);
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var body = await response.Content.ReadAsStringAsync();
        var where = $"{method} {path} -> {status} {mediaType}";

        // The most specific template wins, as routing does: /operations/user-create before /operations/{id}.
        var matches = _paths.Where(p => Matches(p.Segments, segments)).OrderByDescending(p => p.Literals).ToList();
        var operation = matches.Select(p => p.Item[method.Method.ToLowerInvariant()]?.AsObject()).FirstOrDefault(o => o is not null);
        if (operation is null)
        {
            var expected = _outsideOperations(method, segments) ?? [matches.Count == 0 ? 404 : 405];
            if (!expected.Contains(status))
                return $"{where}: not a documented operation, so {string.Join(" or ", expected)} was due";
            return mediaType == "application/problem+json"
                ? Validate(ProblemDetailsSchema, SchemaRef(ProblemDetailsSchema), body, where)
                : $"{where}: a {status} without an operation must be application/problem+json";
        }

        var responses = operation["responses"]!.AsObject();
        var documented = responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses[$"{status / 100}XX"] ?? responses["default"];
        if (documented is null)
            return $"{where}: status not documented for {operation["operationId"]} (documented: {string.Join(", ", responses.Select(r => r.Key))})";
        var content = documented["content"]?.AsObject();
        if (content is null || content.Count == 0)
            return body.Length == 0 ? null : $"{where}: the document lists no body, the answer has {body.Length} bytes";
        // Keys may carry parameters ("text/plain; version=0.0.4"); the media type is what must match.
        var media = content.FirstOrDefault(c => c.Key.Split(';')[0].Trim().Equals(mediaType, StringComparison.OrdinalIgnoreCase)).Value;
        if (mediaType is null || media is null)
            return $"{where}: content type not documented (documented: {string.Join(", ", content.Select(c => c.Key))})";
        if (!mediaType.Contains("json", StringComparison.Ordinal))
            return null;
        var schema = media["schema"];
        return schema is null ? null : Validate($"{operation["operationId"]}/{status}/{mediaType}", schema, body, where);
    }

    /// <summary>Validates a request body a client may send against the operation's request schema.</summary>
    public string? CheckRequest(HttpMethod method, string template, string json)
    {
        var operation = _document["paths"]![template]![method.Method.ToLowerInvariant()]!;
        var schema = operation["requestBody"]!["content"]!["application/json"]!["schema"]!;
        return Validate($"{operation["operationId"]}/request", schema, json, $"{method} {template} request");
    }

    private string? Validate(string key, JsonNode schema, string body, string where)
    {
        var compiled = _compiled.GetOrAdd(key, _ => Compile(schema));
        JsonElement instance;
        try
        {
            instance = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException e)
        {
            return $"{where}: the body is not JSON ({e.Message}): {body}";
        }
        var result = compiled.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid)
            return null;
        var errors = new[] { result }.Concat(result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {d.EvaluationPath}: {e.Value}"));
        return $"{where}: body does not match the schema ({string.Join("; ", errors)}): {Truncate(body)}";
    }

    /// <summary>
    /// The response's schema as a standalone 2020-12 schema: the document's component schemas become its $defs,
    /// so "#/components/schemas/X" references resolve as "#/$defs/X".
    /// </summary>
    private JsonSchema Compile(JsonNode schema)
    {
        var standalone = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = _schemas.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        var text = standalone.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() },
            new Uri($"https://sagademo.test/openapi/{Guid.NewGuid():N}"));
    }

    private static JsonObject SchemaRef(string name) => new() { ["$ref"] = $"#/components/schemas/{name}" };

    // A route parameter takes one whole segment (which may hold a decoded "/"); literals compare as routing does.
    private static bool Matches(string[] template, string[] segments) =>
        template.Length == segments.Length && template.Zip(segments).All(p =>
            p.First.StartsWith('{') ? p.Second.Length > 0 : string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));

    private static string Truncate(string body) => body.Length <= 300 ? body : body[..300] + "...";
}
