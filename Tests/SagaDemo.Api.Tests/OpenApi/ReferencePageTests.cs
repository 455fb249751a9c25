using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Testing;

namespace SagaDemo.Api.Tests.OpenApi;

/// <summary>The whole host on Kestrel at a loopback port, in Production, with the given settings.</summary>
public sealed class ProductionHostFactory : SagaDemoHostFactory
{
    public ProductionHostFactory(params (string Key, string Value)[] settings)
        : base([new("Logging:LogLevel:Default", "Warning"), .. settings.Select(s => KeyValuePair.Create(s.Key, s.Value))])
    {
        Environment = "Production";
        OnLoopback();
    }

    public Uri Start() => StartOnLoopback();
}

/// <summary>
/// The interactive reference page (Scalar): off in Production unless OpenApi:ReferencePage=true, and when on, a
/// real browser renders the API's operations from the served document with no outside network (the script is
/// served by the host itself).
/// </summary>
public sealed class ReferencePageTests
{
    [Fact]
    public async Task Production_serves_the_document_but_no_reference_page_unless_configured()
    {
        await using var host = new ProductionHostFactory();
        using var http = new HttpClient { BaseAddress = host.Start() };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/scalar")).StatusCode);
    }

    [Fact]
    public async Task With_OpenApi_ReferencePage_Chromium_renders_every_route_family_from_the_document()
    {
        await using var host = new ProductionHostFactory(("OpenApi:ReferencePage", "true"));
        var address = host.Start();

        var dom = await HeadlessChromium.DumpDomAsync(new Uri(address, "/scalar"), TimeSpan.FromSeconds(15));

        // Rendered by the page's script from /openapi/v1.json: the title, every operation's summary, the paths.
        Assert.Contains("SagaDemo API", dom);
        foreach (var expected in new[] { "Create a user", "Place an order", "Get an operation", "Create an operation (original demo)",
                     "Get an operation (original demo)", "Get a user", "List the inventory", "Get order statistics", "Liveness", "Readiness",
                     "Metrics", "/operations/user-create", "/operation/create/{name}", "/inventory" })
            Assert.Contains(expected, dom);
    }
}
