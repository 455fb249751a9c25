using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace SagaDemo.Services.Http;

/// <summary>
/// Reads a JSON object body by hand instead of through model binding, so every way a body can be
/// wrong (media type, size, syntax, JSON types) gets its own 4xx problem rather than a 500.
/// </summary>
public static class JsonRequestBody
{
    /// <summary>camelCase like every response; strict numbers so "2" is not a quantity.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
    };

    public sealed record Outcome(JsonElement Body, IResult? Problem);

    public static async Task<Outcome> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
            return Fail(Problems.UnsupportedMediaType());
        if (request.ContentLength > RequestLimits.MaxBodyBytes)
            return Fail(Problems.TooLarge());

        // Lets the server stop reading early where it supports the feature (Kestrel).
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
            sizeFeature.MaxRequestBodySize = RequestLimits.MaxBodyBytes;

        var bytes = await ReadAtMostAsync(request.Body, RequestLimits.MaxBodyBytes + 1, cancellationToken);
        if (bytes.Length > RequestLimits.MaxBodyBytes)
            return Fail(Problems.TooLarge());

        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 });
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Fail(Problems.BadRequest($"The request body is not valid JSON: {e.Message}"));
        }
        if (body.ValueKind != JsonValueKind.Object)
            return Fail(Problems.BadRequest($"The request body must be a JSON object, not {body.ValueKind.ToString().ToLowerInvariant()}."));
        return HasOnlyValidStrings(body)
            ? new Outcome(body, null)
            : Fail(Problems.BadRequest("The request body holds a string that is not valid Unicode (e.g. an unpaired surrogate escape)."));
    }

    /// <summary>
    /// The parser accepts escapes such as a lone <c>\ud800</c> that no .NET string can hold; reading or
    /// re-serializing such a value later throws. Every name and string is decoded here once, so what gets
    /// past this point can be bound, fingerprinted and stored.
    /// </summary>
    static bool HasOnlyValidStrings(JsonElement element)
    {
        try
        {
            return Decodes(element);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        static bool Decodes(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String:
                    _ = e.GetString();
                    return true;
                case JsonValueKind.Array:
                    return e.EnumerateArray().All(Decodes);
                case JsonValueKind.Object:
                    foreach (var property in e.EnumerateObject())
                        if (!Decodes(property.Value))
                            return false;
                    return true;
                default:
                    return true;
            }
        }
    }

    /// <summary>Binds a parsed body to a request type; a value of the wrong JSON type is a 400 naming its path.</summary>
    public static (T? Value, IResult? Problem) Bind<T>(JsonElement body) where T : class
    {
        try
        {
            return (body.Deserialize<T>(Options), null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest($"The value at '{e.Path ?? "$"}' has the wrong JSON type."));
        }
    }

    static Outcome Fail(IResult problem) => new(default, problem);

    static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
            return false;
        var charsetOk = !media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
        var type = media.MediaType.Value ?? "";
        return charsetOk && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));
    }

    static async Task<byte[]> ReadAtMostAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (buffer.Length < limit)
        {
            var read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), cancellationToken);
            if (read == 0)
                break;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
