using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SagaDemo.Api.Tests.Security;

/// <summary>
/// Deterministic (seeded) generator of HTTP requests against the operations API: valid requests and
/// mutations of them (bodies, paths, methods, headers), each with the answer class it must get. The
/// expectation is decided by construction, so the test needs no second implementation of the rules.
/// </summary>
public sealed class BadInputGenerator(int seed, string apiKey)
{
    const string User = "/operations/user-create";
    const string Order = "/operations/order-create";
    const string Compat = "/operation/create/user-create";
    const string Json = "application/json";

    static readonly JsonSerializerOptions RawUnicode = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    readonly Random _random = new(seed);
    int _keys;

    delegate IEnumerable<GeneratedCase> Generator();

    public IEnumerable<GeneratedCase> Generate(int count)
    {
        Generator[] generators =
        [
            Valid, Truncated, TypeSwapped, HugeNumbers, DeepNesting, Unicode, ControlCharacters, Nulls, DuplicateKeys, Bom,
            RandomPaths, Methods, ContentTypes, HugeHeaders, BadIdempotencyKeys, BadApiKeys, Oversized, RandomBytes,
            FieldLimits, IdempotencyReplays,
        ];
        var produced = 0;
        while (produced < count)
            foreach (var generated in Pick(generators)())
            {
                produced++;
                yield return generated;
            }
    }

    // ---- valid requests and their parts

    T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    Guid RandomGuid()
    {
        var bytes = new byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    bool Chance(double p) => _random.NextDouble() < p;

    string Word(int min, int max, string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
    {
        var length = _random.Next(min, max + 1);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
            chars[i] = alphabet[_random.Next(alphabet.Length)];
        return new string(chars);
    }

    static string Js(string value, bool rawUnicode = false) => JsonSerializer.Serialize(value, rawUnicode ? RawUnicode : null);

    static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    string ValidUserJson(string? extra = null)
    {
        var email = Chance(0.5) ? "" : Chance(0.5) ? ",\"email\":null" : $",\"email\":\"{Word(1, 20, "abcdefghij")}@example.com\"";
        return $"{{\"name\":{Js(Word(1, 100))}{email}{extra}}}";
    }

    string ValidOrderJson(string? extra = null, string? quantity = null)
    {
        var items = Enumerable.Range(0, _random.Next(1, 6))
            .Select(_ => $"{{\"sku\":{Js(Word(1, 64))},\"quantity\":{quantity ?? _random.Next(1, 1001).ToString()}}}");
        return $"{{\"customerId\":{Js(Word(1, 64))},\"items\":[{string.Join(",", items)}]{extra}}}";
    }

    /// <summary>A valid body for one of the three creating routes.</summary>
    (string Path, string Body) ValidPost(string? extra = null) => _random.Next(3) switch
    {
        0 => (User, ValidUserJson(extra)),
        1 => (Order, ValidOrderJson(extra)),
        _ => (Compat, ValidUserJson(extra)),
    };

    List<KeyValuePair<string, string>> Authorized(bool withIdempotencyKey = false)
    {
        var headers = new List<KeyValuePair<string, string>> { new("X-Api-Key", apiKey) };
        if (withIdempotencyKey)
            headers.Add(new("Idempotency-Key", $"gen-{seed}-{++_keys}-{Word(0, 20, "abcdefghijklmnopqrstuvwxyz0123456789!#$%&*+.^_|~")}"));
        return headers;
    }

    GeneratedCase Post(string category, string path, byte[] body, Expect expect, string? contentType = Json,
        List<KeyValuePair<string, string>>? headers = null) =>
        new(category, "POST", path, body, contentType, headers ?? Authorized(Chance(0.3)), expect);

    IEnumerable<GeneratedCase> Valid()
    {
        var contentType = Pick(new[] { Json, "application/json; charset=utf-8", "APPLICATION/JSON", "application/merge-patch+json" });
        var extra = Chance(0.3) ? $",{Js(Word(1, 10))}:{Pick(new[] { "1", "\"x\"", "[1,2]", "{\"a\":{}}", "true", "null" })}" : null;
        var (path, body) = ValidPost(extra);
        yield return Post("valid", path, Bytes(body), Expect.Success, contentType);
    }

    // ---- body mutations

    IEnumerable<GeneratedCase> Truncated()
    {
        var (path, body) = ValidPost();
        yield return Post("truncated", path, Bytes(body[.._random.Next(body.Length)]), Expect.ClientError);
    }

    IEnumerable<GeneratedCase> TypeSwapped()
    {
        var wrong = Pick(new[] { "1", "-2.5", "true", "false", "[]", "[\"a\"]", "{}", "{\"a\":1}" });
        switch (_random.Next(4))
        {
            case 0:
                yield return Post("type swap", Pick(new[] { User, Compat }), Bytes($"{{\"name\":{wrong}}}"), Expect.ClientError);
                break;
            case 1:
                yield return Post("type swap", Order, Bytes($"{{\"customerId\":{wrong},\"items\":[{{\"sku\":\"a\",\"quantity\":1}}]}}"),
                    Expect.ClientError);
                break;
            case 2:
                var notAList = Pick(new[] { "1", "true", "\"items\"", "{\"sku\":\"a\",\"quantity\":1}" });
                yield return Post("type swap", Order, Bytes($"{{\"customerId\":\"c\",\"items\":{notAList}}}"), Expect.ClientError);
                break;
            default:
                var notAnInt = Pick(new[] { "\"2\"", "true", "[1]", "{}", "1.5", "2.0e0" });
                yield return Post("type swap", Order, Bytes(ValidOrderJson(quantity: notAnInt)), Expect.ClientError);
                break;
        }
    }

    IEnumerable<GeneratedCase> HugeNumbers()
    {
        var huge = Pick(new[]
        {
            "1e400", "-1e400", "99999999999999999999999999999", "2147483648", "-2147483649", "1001", "0", "-1",
            "1" + new string('0', _random.Next(20, 2000)),
        });
        yield return Post("huge number", Order, Bytes(ValidOrderJson(quantity: huge)), Expect.ClientError);
        // The same numbers in a field nobody reads are fine.
        yield return Post("huge number, ignored field", User, Bytes(ValidUserJson($",\"extra\":{huge}")), Expect.Success);
    }

    IEnumerable<GeneratedCase> DeepNesting()
    {
        var depth = Chance(0.2) ? _random.Next(2000, 20000) : _random.Next(33, 200);
        var (open, close) = Chance(0.5) ? ("[", "]") : ("{\"a\":", "}");
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        var (path, body) = ValidPost($",\"deep\":{nested}");
        var tooBig = body.Length > 64 * 1024;
        yield return Post("deep nesting", path, Bytes(body), Expect.ClientError);
        if (!tooBig)
        {
            var shallow = _random.Next(1, 30);
            var fine = string.Concat(Enumerable.Repeat(open, shallow)) + "1" + string.Concat(Enumerable.Repeat(close, shallow));
            yield return Post("shallow nesting", path, Bytes(ValidUserOrOrder(path, $",\"deep\":{fine}")), Expect.Success);
        }
    }

    string ValidUserOrOrder(string path, string extra) => path == Order ? ValidOrderJson(extra) : ValidUserJson(extra);

    static readonly (int From, int To)[] Scripts =
        [(0x00C0, 0x00FF), (0x0400, 0x04FF), (0x05D0, 0x05EA), (0x0627, 0x064A), (0x4E00, 0x9FFF), (0x1F600, 0x1F64F), (0x0300, 0x036F)];

    string UnicodeName()
    {
        var builder = new StringBuilder("a");
        while (builder.Length < 98 && Chance(0.9))
        {
            var (from, to) = Pick(Scripts);
            builder.Append(char.ConvertFromUtf32(_random.Next(from, to + 1)));
        }
        return builder.ToString();
    }

    IEnumerable<GeneratedCase> Unicode()
    {
        var name = UnicodeName();
        var path = Pick(new[] { User, Compat });
        yield return Post("unicode", path, Bytes($"{{\"name\":{Js(name, rawUnicode: Chance(0.5))}}}"), Expect.Success);
        // Escaped lone surrogates are valid JSON text but no valid string.
        var lone = Pick(new[] { "\\ud800", "\\udfff", "a\\ud83d", "\\ude00b" });
        yield return Post("lone surrogate", path, Bytes($"{{\"name\":\"{lone}\"}}"), Expect.NotServerError);
        // Raw bytes that are not UTF-8.
        var invalid = Bytes("{\"name\":\"x").Concat(new[] { (byte)Pick(new[] { 0xC3, 0xFF, 0xFE, 0x80, 0xED }) }).Concat(Bytes("\"}")).ToArray();
        yield return Post("invalid utf-8", path, invalid, Expect.ClientError);
    }

    IEnumerable<GeneratedCase> ControlCharacters()
    {
        var control = (char)Pick(new[] { 0, 1, 7, 8, 9, 10, 13, 27, 31, 127, 0x85 });
        var escaped = $"\\u{(int)control:x4}";
        yield return Post("control char, escaped", Pick(new[] { User, Compat }),
            Bytes($"{{\"name\":\"ha{escaped}ns\"}}"), Expect.ClientError);
        if (control < ' ')
            yield return Post("control char, raw", Pick(new[] { User, Order }),
                Bytes($"{{\"name\":\"ha{control}ns\",\"customerId\":\"c{control}\"}}"), Expect.ClientError);
        // PostgreSQL's text and jsonb cannot hold NUL: refused like every control character, never a 500.
        yield return Post("control char in email", Pick(new[] { User, Compat }),
            Bytes($"{{\"name\":\"hans\",\"email\":\"a{escaped}@b.co\"}}"), Expect.ClientError);
    }

    IEnumerable<GeneratedCase> Nulls()
    {
        var (path, body) = _random.Next(6) switch
        {
            0 => (User, "{\"name\":null}"),
            1 => (Pick(new[] { User, Order, Compat }), "null"),
            2 => (Order, "{\"customerId\":\"c\",\"items\":[null]}"),
            3 => (Order, "{\"customerId\":null,\"items\":[{\"sku\":\"a\",\"quantity\":1}]}"),
            4 => (Order, "{\"customerId\":\"c\",\"items\":[{\"sku\":null,\"quantity\":1}]}"),
            _ => (Order, "{\"customerId\":\"c\",\"items\":null}"),
        };
        yield return Post("nulls", path, Bytes(body), Expect.ClientError);
        yield return Post("null email", User, Bytes($"{{\"name\":{Js(Word(1, 20))},\"email\":null}}"), Expect.Success);
    }

    IEnumerable<GeneratedCase> DuplicateKeys()
    {
        var second = Chance(0.5) ? Js(Word(1, 20)) : "5";
        yield return Post("duplicate keys", Pick(new[] { User, Compat }), Bytes($"{{\"name\":{Js(Word(1, 20))},\"name\":{second}}}"),
            Expect.NotServerError);
    }

    IEnumerable<GeneratedCase> Bom()
    {
        var (path, body) = ValidPost();
        yield return Post("byte order mark", path, [0xEF, 0xBB, 0xBF, .. Bytes(body)], Expect.NotServerError);
    }

    // ---- paths, methods, headers

    IEnumerable<GeneratedCase> RandomPaths()
    {
        var segment = Word(1, 40, "abcXYZ019-._~!$&'()*+,;=:@");
        // No %00: the test host refuses it client-side (Kestrel answers 400 before the app sees it).
        var encoded = Pick(new[] { "%01", "%2F", "%2f..%2f", "%25", "%C3%A9", "%FF", "%E2%80%AE", "%20", "%0A", "%3Cscript%3E" });
        var path = _random.Next(9) switch
        {
            0 => $"/operations/{segment}",
            1 => $"/operations/{Word(1000, 5000)}",
            2 => $"/operations/{segment}{encoded}{segment}",
            3 => $"/operations/..%2F..%2Fetc%2Fpasswd",
            4 => $"/operations/../../etc/{segment}",
            5 => $"/{segment}/{Word(1, 10)}",
            6 => $"/users/{segment}{encoded}",
            7 => $"/%2e%2e/{segment}",
            _ => $"/operations/{RandomGuid()}",
        };
        yield return new GeneratedCase("path", "GET", path, null, null, Authorized(), Expect.ClientError);
        yield return Post("path", $"/operations/{segment}{encoded}", Bytes(ValidUserJson()), Expect.ClientError);
        // The compat read answers {} for anything it cannot find, as the original did.
        yield return new GeneratedCase("path, compat get", "GET", $"/operation/get/x{segment.Replace('.', 'x')}{encoded}", null, null, Authorized(), Expect.Success);
    }

    IEnumerable<GeneratedCase> Methods()
    {
        var method = Pick(new[] { "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "PROPFIND", "FOO" });
        var path = Pick(new[] { User, Order, Compat, $"/operations/{RandomGuid()}", $"/operation/get/{RandomGuid()}" });
        var body = method is "HEAD" or "TRACE" ? null : Bytes(ValidUserJson());
        yield return new GeneratedCase("method", method, path, body, body is null ? null : Json, Authorized(), Expect.ClientError);
    }

    IEnumerable<GeneratedCase> ContentTypes()
    {
        var contentType = Pick(new[]
        {
            null, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/json; charset=utf-16", "application/json; charset=iso-8859-1", "application/", "*/*", "application/jsonx",
            "%%%", "json", "text/json; charset=utf-8",
        });
        var (path, body) = ValidPost();
        yield return Post("content type", path, Bytes(body), Expect.ClientError, contentType);
        yield return Post("content type, quoted charset", path, Bytes(body), Expect.NotServerError, "application/json; charset=\"utf-8\"");
    }

    IEnumerable<GeneratedCase> HugeHeaders()
    {
        var (path, body) = ValidPost();
        var headers = Authorized();
        headers.Add(new("X-Junk", Word(8 * 1024, 64 * 1024)));
        yield return Post("huge header", path, Bytes(body), Expect.Success, headers: headers);
        var many = Authorized();
        for (var i = 0; i < _random.Next(50, 300); i++)
            many.Add(new($"X-Many-{i}", Word(1, 50)));
        yield return Post("many headers", path, Bytes(body), Expect.Success, headers: many);
    }

    IEnumerable<GeneratedCase> BadIdempotencyKeys()
    {
        var (path, body) = ValidPost();
        var headers = Authorized();
        var bad = _random.Next(5) switch
        {
            0 => [Word(129, 5000)],
            1 => [Pick(new[] { "ключ", "clé", "鍵", "🔑" })],
            2 => [$"a{(char)Pick(new[] { 1, 9, 27, 127 })}b"],
            3 => [Word(1, 10), Word(1, 10)],
            _ => new[] { Word(1, 5) + Pick(new[] { "é", "\u00a0", "\u200b" }) },
        };
        headers.AddRange(bad.Select(k => new KeyValuePair<string, string>("Idempotency-Key", k)));
        yield return Post("bad idempotency key", path, Bytes(body), Expect.ClientError, headers: headers);
    }

    IEnumerable<GeneratedCase> BadApiKeys()
    {
        var (path, body) = ValidPost();
        List<KeyValuePair<string, string>> headers = _random.Next(6) switch
        {
            0 => [],
            1 => [new("X-Api-Key", Word(1, 64))],
            2 => [new("X-Api-Key", apiKey[..^1])],
            3 => [new("X-Api-Key", Word(300, 20000))],
            4 => [new("X-Api-Key", apiKey + "é")],
            _ => [new("X-Api-Key", apiKey), new("X-Api-Key", apiKey)],
        };
        yield return Post("bad api key", path, Bytes(body), Expect.ClientError, headers: headers);
        yield return new GeneratedCase("bad api key", "GET", $"/operations/{RandomGuid()}", null, null, headers, Expect.ClientError);
    }

    IEnumerable<GeneratedCase> Oversized()
    {
        var padding = Word(64 * 1024 + 1, 200 * 1024, "abc");
        var (path, _) = ValidPost();
        yield return Post("oversized body", path, Bytes($"{{\"name\":\"hans\",\"pad\":\"{padding}\"}}"), Expect.ClientError);
    }

    IEnumerable<GeneratedCase> RandomBytes()
    {
        var bytes = new byte[_random.Next(0, 2048)];
        _random.NextBytes(bytes);
        if (bytes.Length > 0 && bytes[0] == (byte)'{')
            bytes[0] = (byte)'!';
        yield return Post("random bytes", Pick(new[] { User, Order, Compat }), bytes, Expect.ClientError);
    }

    IEnumerable<GeneratedCase> FieldLimits()
    {
        var (path, body) = _random.Next(7) switch
        {
            0 => (User, $"{{\"name\":{Js(Word(101, 400))}}}"),
            1 => (Compat, $"{{\"name\":{Js(new string(' ', _random.Next(0, 10)))}}}"),
            2 => (User, $"{{\"name\":\"hans\",\"email\":{Js(Word(1, 30) + Pick(new[] { "", "@", "@@x.de", " x@y.de" }))}}}"),
            3 => (Order, "{\"customerId\":\"c\",\"items\":[]}"),
            4 => (Order, $"{{\"customerId\":\"c\",\"items\":[{string.Join(",", Enumerable.Repeat("{\"sku\":\"a\",\"quantity\":1}", _random.Next(51, 120)))}]}}"),
            5 => (Order, $"{{\"customerId\":\"c\",\"items\":[{{\"sku\":{Js(Word(65, 200))},\"quantity\":1}}]}}"),
            _ => (Order, $"{{\"customerId\":{Js(Word(65, 200))},\"items\":[{{\"sku\":\"a\",\"quantity\":1}}]}}"),
        };
        yield return Post("field limits", path, Bytes(body), Expect.ClientError);
    }

    IEnumerable<GeneratedCase> IdempotencyReplays()
    {
        var (path, body) = ValidPost();
        var headers = Authorized(withIdempotencyKey: true);
        yield return Post("idempotent first", path, Bytes(body), Expect.Success, headers: headers);
        yield return Post("idempotent replay", path, Bytes(body), Expect.Success, headers: headers);
        var different = path == Order ? ValidOrderJson() : ValidUserJson();
        yield return Post("idempotent key reused", path, Bytes(different), different == body ? Expect.Success : Expect.ClientError,
            headers: headers);
    }
}
