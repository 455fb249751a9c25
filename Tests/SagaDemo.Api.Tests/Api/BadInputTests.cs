using System.Net;
using System.Text;
using System.Text.Json;

namespace SagaDemo.Api.Tests.Api;

/// <summary>Every kind of bad input gets its 4xx as application/problem+json, never a 5xx.</summary>
public sealed class BadInputTests(SagaDemoApiFactory factory) : IClassFixture<SagaDemoApiFactory>
{
    const string Json = "application/json";
    const string Big = "@big";
    const string BigChunked = "@big-chunked";
    const string User = "/operations/user-create";
    const string Order = "/operations/order-create";

    static string Items(string items) => $$"""{"customerId":"c-1","items":[{{items}}]}""";

    public static TheoryData<string, string, string, string?, string, int> Cases => new()
    {
        // case, method, path, content type, body, expected status
        { "malformed JSON", "POST", User, Json, """{"name":""", 400 },
        { "trailing garbage", "POST", User, Json, """{"name":"hans"} x""", 400 },
        { "empty body", "POST", User, Json, "", 400 },
        { "array body", "POST", User, Json, "[1,2]", 400 },
        { "null body", "POST", User, Json, "null", 400 },
        { "name wrong type", "POST", User, Json, """{"name":5}""", 400 },
        { "email wrong type", "POST", User, Json, """{"name":"hans","email":true}""", 400 },
        { "name missing", "POST", User, Json, """{"email":"a@b.de"}""", 400 },
        { "name null", "POST", User, Json, """{"name":null}""", 400 },
        { "name empty", "POST", User, Json, """{"name":""}""", 400 },
        { "name blank", "POST", User, Json, """{"name":"   "}""", 400 },
        { "name too long", "POST", User, Json, $$"""{"name":"{{new string('n', 101)}}"}""", 400 },
        { "name control char", "POST", User, Json, """{"name":"ha\u0000ns"}""", 400 },
        { "email invalid", "POST", User, Json, """{"name":"hans","email":"nope"}""", 400 },
        { "email too long", "POST", User, Json, $$"""{"name":"hans","email":"{{new string('e', 250)}}@x.de"}""", 400 },
        { "customerId missing", "POST", Order, Json, """{"items":[{"sku":"apple","quantity":1}]}""", 400 },
        { "customerId too long", "POST", Order, Json, $$"""{"customerId":"{{new string('c', 65)}}","items":[{"sku":"apple","quantity":1}]}""", 400 },
        { "items missing", "POST", Order, Json, """{"customerId":"c-1"}""", 400 },
        { "items empty", "POST", Order, Json, Items(""), 400 },
        { "items not a list", "POST", Order, Json, """{"customerId":"c-1","items":{"sku":"apple","quantity":1}}""", 400 },
        { "too many items", "POST", Order, Json, Items(string.Join(",", Enumerable.Repeat("""{"sku":"apple","quantity":1}""", 51))), 400 },
        { "item null", "POST", Order, Json, Items("null"), 400 },
        { "sku missing", "POST", Order, Json, Items("""{"quantity":1}"""), 400 },
        { "sku too long", "POST", Order, Json, Items($$"""{"sku":"{{new string('s', 65)}}","quantity":1}"""), 400 },
        { "quantity missing", "POST", Order, Json, Items("""{"sku":"apple"}"""), 400 },
        { "quantity zero", "POST", Order, Json, Items("""{"sku":"apple","quantity":0}"""), 400 },
        { "quantity negative", "POST", Order, Json, Items("""{"sku":"apple","quantity":-3}"""), 400 },
        { "quantity over limit", "POST", Order, Json, Items("""{"sku":"apple","quantity":1001}"""), 400 },
        { "quantity overflows int", "POST", Order, Json, Items("""{"sku":"apple","quantity":99999999999999999999}"""), 400 },
        { "quantity fractional", "POST", Order, Json, Items("""{"sku":"apple","quantity":1.5}"""), 400 },
        { "quantity as string", "POST", Order, Json, Items("""{"sku":"apple","quantity":"2"}"""), 400 },
        { "body too large", "POST", User, Json, Big, 413 },
        { "body too large, chunked", "POST", Order, Json, BigChunked, 413 },
        { "compat body too large", "POST", "/operation/create/user-create", Json, Big, 413 },
        { "text/plain", "POST", User, "text/plain", """{"name":"hans"}""", 415 },
        { "no content type", "POST", Order, null, """{"name":"hans"}""", 415 },
        { "xml", "POST", "/operation/create/user-create", "application/xml", "<name>hans</name>", 415 },
        { "latin1 charset", "POST", User, "application/json; charset=iso-8859-1", """{"name":"hans"}""", 415 },
        { "unknown operation type", "POST", "/operations/user-delete", Json, """{"name":"hans"}""", 404 },
        { "invalid operation id", "GET", "/operations/not-a-uuid", null, "", 400 },
        { "unknown operation id", "GET", "/operations/6c1f8e0e-7d55-4b0e-9a55-0d6f4b0e9a55", null, "", 404 },
        { "invalid user id", "GET", "/users/42", null, "", 400 },
        { "unknown user id", "GET", "/users/6c1f8e0e-7d55-4b0e-9a55-0d6f4b0e9a55", null, "", 404 },
        { "unknown route", "GET", "/nothing-here", null, "", 404 },
        { "wrong method", "PUT", User, Json, """{"name":"hans"}""", 405 },
        { "compat malformed JSON", "POST", "/operation/create/user-create", Json, "{", 400 },
        { "compat name missing", "POST", "/operation/create/user-create", Json, """{"nom":"hans"}""", 400 },
        { "compat other operation, not JSON", "POST", "/operation/create/whatever", Json, "nope", 400 },
        { "compat operation name too long", "POST", $"/operation/create/{new string('x', 101)}", Json, "{}", 400 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_problem(string @case, string method, string path, string? contentType, string body, int status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
            request.Content = Content(body, contentType);

        using var response = await factory.CreateClient().SendAsync(request);

        Assert.True((int)response.StatusCode == status, $"{@case}: expected {status}, got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("title", out _));
    }

    static HttpContent Content(string body, string? contentType)
    {
        HttpContent content = body switch
        {
            Big => new StringContent($$"""{"name":"{{new string('a', 70 * 1024)}}"}"""),
            // No Content-Length: the size is only known by reading.
            BigChunked => new StreamContent(new ChunkedOnlyStream(Encoding.UTF8.GetBytes(
                $$"""{"customerId":"{{new string('a', 70 * 1024)}}","items":[]}"""))),
            _ => new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        content.Headers.ContentType = contentType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    /// <summary>A stream that will not tell its length, so the client cannot send Content-Length.</summary>
    sealed class ChunkedOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
