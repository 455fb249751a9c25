using System.Diagnostics;
using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Support;
using SagaDemo.Contracts;
using SagaDemo.Host.Composition;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Chart.Tests;

/// <summary>deploy/docker-compose.yml: every role in its own container from the Dockerfile, scraped by Prometheus.</summary>
public class ComposeTests
{
    static JObject Compose => (JObject)Yaml.LoadFile(Path.Combine(RepoPaths.Deploy, "docker-compose.yml"));
    static JObject ComposeServices => (JObject)Compose["services"]!;

    [Fact]
    public void Every_role_runs_in_a_container_built_from_the_dockerfile()
    {
        foreach (var role in Roles.All)
        {
            var service = ComposeServices.Properties().Single(p => (string?)p.Value["environment"]?["Roles"] == role).Value;
            var build = service["build"]!;
            var context = Path.GetFullPath(Path.Combine(RepoPaths.Deploy, (string)build["context"]!));
            Assert.Equal(Path.GetFullPath(RepoPaths.Root), context.TrimEnd(Path.DirectorySeparatorChar));
            Assert.True(File.Exists(Path.Combine(context, (string)build["dockerfile"]!)));
            var env = (JObject)service["environment"]!;
            Assert.Equal("kafka:9092", (string?)env["Kafka__BootstrapServers"]);
            Assert.StartsWith("Host=postgres;", (string?)env["ConnectionStrings__Postgres"]);
            Assert.Equal("service_completed_successfully", (string?)service["depends_on"]!["kafka-init"]!["condition"]);
        }
    }

    [Fact]
    public void The_topic_initialiser_creates_every_topic()
    {
        var topics = ((string)ComposeServices["kafka-init"]!["environment"]!["TOPICS"]!)
            .Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).OrderBy(t => t);
        Assert.Equal(RoleCatalog.Topics.Definitions.Select(t => t.Name).OrderBy(t => t), topics);
    }

    [Fact]
    public void Prometheus_scrapes_every_service_and_the_lag_exporter()
    {
        var prometheus = (JObject)Yaml.LoadFile(Path.Combine(RepoPaths.Deploy, "prometheus.yml"));
        var targets = prometheus["scrape_configs"]!
            .SelectMany(c => c["static_configs"]!).SelectMany(s => s["targets"]!.Values<string>()).ToHashSet();
        foreach (var role in Roles.All)
        {
            var name = ComposeServices.Properties().Single(p => (string?)p.Value["environment"]?["Roles"] == role).Name;
            Assert.Contains($"{name}:8080", targets);
        }
        Assert.Contains("kafka-exporter:9308", targets);
        Assert.True(ComposeServices.ContainsKey("kafka-exporter"));
    }

    /// <summary>
    /// docker-compose (Debian's 1.29, scripts/setup.sh installs it) parses, interpolates and validates the file
    /// against its Compose schema without an engine; it rejects unknown keys.
    /// </summary>
    [Fact]
    public async Task Docker_compose_validates_the_file()
    {
        var result = await SagaDemo.Testing.ProcessRunner.RunAsync("docker-compose", ["-f", Path.Combine(RepoPaths.Deploy, "docker-compose.yml"), "config", "-q"],
            RepoPaths.Root, TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Output);
    }

    /// <summary>The services listen where the image says (ASPNETCORE_HTTP_PORTS=8080, all interfaces): nothing overrides it.</summary>
    [Fact]
    public void No_service_overrides_the_images_listen_address()
    {
        foreach (var service in ComposeServices.Properties().Where(p => p.Value["environment"]?["Roles"] is not null))
        {
            var env = (JObject)service.Value["environment"]!;
            Assert.Null(env["ASPNETCORE_URLS"]);
            Assert.Null(env["urls"]);
            Assert.Null(env["ASPNETCORE_HTTP_PORTS"]);
        }
        Assert.Null(JObject.Parse(File.ReadAllText(RepoPaths.In("Host", "SagaDemo.Host", "appsettings.json")))["urls"]);
    }

    [Fact]
    public async Task Promtool_accepts_the_prometheus_config()
    {
        // promtool comes with Debian's prometheus package (scripts/setup.sh installs it).
        var psi = new ProcessStartInfo("promtool", ["check", "config", "--syntax-only", Path.Combine(RepoPaths.Deploy, "prometheus.yml")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"promtool: {await output}{await error}");
    }
}
