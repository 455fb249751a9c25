using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SagaDemo.Testing;
using SagaDemo.Api.Tests.Api;

namespace SagaDemo.Api.Tests.Security;

/// <summary>
/// Auth:Mode=Jwt against a real issuer (discovery document and JWKS over HTTP on loopback) with tokens the test
/// signs: the token's subject (or client id) owns what it creates, and every way a token can be wrong is a 401.
/// </summary>
public sealed class JwtAccessTests(JwtAccessTests.Fixture fixture) : IClassFixture<JwtAccessTests.Fixture>
{
    public const string Audience = "sagademo";
    const string UserBody = """{"name":"hans"}""";

    public sealed class Fixture : IAsyncLifetime
    {
        public OidcIssuer Issuer { get; private set; } = null!;
        public JwtApiFactory App { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Issuer = await OidcIssuer.StartAsync();
            App = new JwtApiFactory(new Dictionary<string, string>
            {
                ["Auth:Jwt:Authority"] = Issuer.Issuer,
                ["Auth:Jwt:RequireHttpsMetadata"] = "false",
            });
        }

        public async Task DisposeAsync()
        {
            await App.DisposeAsync();
            await Issuer.DisposeAsync();
        }
    }

    public sealed class JwtApiFactory(IReadOnlyDictionary<string, string> settings)
        : SagaDemoHostFactory(QuickWith([new("Auth:Mode", "Jwt"), new("Auth:Jwt:Audience", Audience), .. settings]))
    {

        public HttpClient With(string? token)
        {
            var client = CreateClient();
            if (token is not null)
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }
    }

    HttpClient As(string subject) => fixture.App.With(fixture.Issuer.Token(new Dictionary<string, object> { ["sub"] = subject }));

    [Fact]
    public async Task The_tokens_subject_owns_its_operations_and_users_and_another_subject_sees_neither()
    {
        var alice = As("alice");
        var bob = As("bob");
        var created = await alice.PostJsonAsync("/operations/user-create", UserBody);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var operation = await alice.PollAsync(created.Headers.Location!.ToString(), o => o.GetProperty("status").GetString() != "pending");
        var userId = operation.GetProperty("result").GetProperty("userId").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/users/{userId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync(created.Headers.Location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/users/{userId}")).StatusCode);
    }

    [Fact]
    public async Task Without_a_subject_the_client_id_owns_and_a_token_naming_nobody_is_refused()
    {
        var client = fixture.App.With(fixture.Issuer.Token(new Dictionary<string, object> { ["client_id"] = "shop-backend" }));
        var created = await client.PostJsonAsync("/operations/user-create", UserBody);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(created.Headers.Location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await As("shop-backend-impostor").GetAsync(created.Headers.Location)).StatusCode);

        var nobody = fixture.App.With(fixture.Issuer.Token(new Dictionary<string, object> { ["scope"] = "operations" }));
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.PostJsonAsync("/operations/user-create", UserBody)).StatusCode);
    }

    [Fact]
    public async Task A_token_cannot_name_the_client_it_acts_for()
    {
        var alice = As("alice");
        var created = await alice.PostJsonAsync("/operations/user-create", UserBody);
        var mallory = fixture.App.With(fixture.Issuer.Token(new Dictionary<string, object> { ["sub"] = "mallory", ["sagademo:client"] = "alice" }));

        Assert.Equal(HttpStatusCode.NotFound, (await mallory.GetAsync(created.Headers.Location)).StatusCode);
    }

    public static TheoryData<string> WrongTokens => ["expired", "other audience", "other issuer", "other key", "alg none", "tampered", "garbage"];

    [Theory]
    [MemberData(nameof(WrongTokens))]
    public async Task Every_wrong_token_is_a_401_problem_with_a_bearer_challenge(string wrong)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "alice" };
        using var otherKey = RSA.Create(2048);
        var token = wrong switch
        {
            "expired" => fixture.Issuer.Token(claims, expiresIn: TimeSpan.FromMinutes(-5)),
            "other audience" => fixture.Issuer.Token(claims, audience: "another-api"),
            "other issuer" => fixture.Issuer.Token(claims, issuer: "https://issuer.example"),
            "other key" => fixture.Issuer.Token(claims, signingKey: otherKey),
            "alg none" => fixture.Issuer.UnsignedToken("alice"),
            "tampered" => Tamper(fixture.Issuer.Token(claims)),
            _ => "not.a.token",
        };

        using var response = await fixture.App.With(token).PostJsonAsync("/operations/user-create", UserBody);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_api_document_names_the_bearer_scheme_on_every_protected_route_and_only_there()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(await fixture.App.With(null).GetStringAsync("/openapi/v1.json"))!;
        var scheme = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal(["Bearer"], scheme.Select(s => s.Key));
        Assert.Equal("http", (string?)scheme["Bearer"]!["type"]);
        Assert.Equal("bearer", (string?)scheme["Bearer"]!["scheme"]);
        Assert.Equal("JWT", (string?)scheme["Bearer"]!["bearerFormat"]);

        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
            {
                var open = path.StartsWith("/health", StringComparison.Ordinal) || path == "/metrics";
                var requirement = operation!["security"]?.AsArray().Single()!.AsObject().Select(r => r.Key).Single();
                Assert.True(open ? requirement is null : requirement == "Bearer", $"{method} {path}: {requirement}");
            }
    }

    [Fact]
    public async Task No_token_is_a_401_with_a_plain_bearer_challenge()
    {
        using var response = await fixture.App.With(null).GetAsync($"/operations/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Without_an_authority_the_configured_issuer_and_public_key_decide()
    {
        await using var app = new JwtApiFactory(new Dictionary<string, string>
        {
            ["Auth:Jwt:Issuer"] = fixture.Issuer.Issuer,
            ["Auth:Jwt:SigningKeys:0"] = fixture.Issuer.PublicKeyPem,
        });
        using var accepted = await app.With(fixture.Issuer.Token(new Dictionary<string, object> { ["sub"] = "alice" }))
            .PostJsonAsync("/operations/user-create", UserBody);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        using var otherKey = RSA.Create(2048);
        using var refused = await app.With(fixture.Issuer.Token(new Dictionary<string, object> { ["sub"] = "alice" }, signingKey: otherKey))
            .PostJsonAsync("/operations/user-create", UserBody);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData(null, null, "Auth:Jwt:Audience is not set")]
    [InlineData("sagademo", null, "set Auth:Jwt:Authority, or Auth:Jwt:Issuer")]
    [InlineData("sagademo", "http://issuer.example", "Auth:Jwt:Authority must be https")]
    public void A_configuration_that_could_authenticate_nobody_stops_the_start(string? audience, string? authority, string message)
    {
        var settings = new Dictionary<string, string> { ["Auth:Jwt:Audience"] = audience ?? "" };
        if (authority is not null)
            settings["Auth:Jwt:Authority"] = authority;
        using var app = new JwtApiFactory(settings);
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains(message, error.ToString());
    }

    // One character of the payload changed: the signature no longer matches.
    static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = parts[1].ToCharArray();
        payload[^2] = payload[^2] == 'A' ? 'B' : 'A';
        return $"{parts[0]}.{new string(payload)}.{parts[2]}";
    }
}
