namespace SagaDemo.Telemetry.Tests.Integration;

/// <summary>
/// Tests that start ASP.NET Core hosts run one after another, under the scraped app that lives
/// for the whole collection. Why: MassTransit 8.5 creates its Meter once per process from the
/// IMeterFactory of the first host that starts a bus, so when that host is disposed, MassTransit
/// metrics stop for every later host in the process. The long-lived fixture host is that first
/// host. (One host per process in production: no such issue.)
/// </summary>
[CollectionDefinition(Name)]
public sealed class AppsCollection : ICollectionFixture<ScrapedAppFixture>
{
    public const string Name = "apps";
}
