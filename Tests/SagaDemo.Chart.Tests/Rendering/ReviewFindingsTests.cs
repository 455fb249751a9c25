using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests.Rendering;

/// <summary>What rendering with the real helm and the reviews found in the chart, each pinned by a render.</summary>
public class ReviewFindingsTests
{
    [Fact]
    public async Task Numbers_reach_the_config_map_as_integers_not_floats()
    {
        var config = (await Renders.Named("rate-limiting").ObjectsAsync()).OfKind("ConfigMap").Single(c => c.Name().EndsWith("-config")).Entries();
        Assert.Equal("1048576", config["Kafka__MaxRecordBytes"]);
        Assert.Equal("1000000", config["RateLimiting__PermitsPerSecond"]);
        Assert.Equal("2000000", config["RateLimiting__Burst"]);
    }

    [Fact]
    public async Task A_long_release_name_keeps_every_services_name_apart()
    {
        var objects = await Renders.Named("long-release-name").ObjectsAsync();
        var services = objects.OfKind("Service").Select(s => s.Name()).ToList();
        Assert.Equal(8, services.Distinct().Count());
        // The base is cut, never the role: api and approval (and the rest) stay recognisable.
        foreach (var role in SagaDemo.Host.Composition.Roles.All.Append("kafka-exporter"))
            Assert.Contains(services, s => s.EndsWith("-" + role, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("kafka-events", "kafka-events:9092", "Host=kafka-events-postgresql;")]
    [InlineData("orders-postgresql", "orders-postgresql-kafka:9092", "Host=orders-postgresql;")]
    [InlineData("saga", "saga-kafka:9092", "Host=saga-postgresql;")]
    public async Task The_bundled_brokers_and_database_are_named_as_the_bitnami_charts_name_them(string release, string bootstrap, string host)
    {
        var objects = await (Renders.Default with { Release = release }).ObjectsAsync();
        Assert.Equal(bootstrap, objects.OfKind("ConfigMap").Single(c => c.Name().EndsWith("-config")).Entries()["Kafka__BootstrapServers"]);
        var credentials = objects.OfKind("Secret").Single(s => s.Name().EndsWith("-credentials") && !s.Name().EndsWith("generated-credentials")).Entries();
        Assert.All(credentials.Where(e => e.Key.StartsWith("postgres-", StringComparison.Ordinal)), e => Assert.StartsWith(host, e.Value));
    }

    [Fact]
    public async Task Pod_disruption_budgets_use_unhealthy_pod_eviction_only_where_kubernetes_has_it()
    {
        Assert.All((await Renders.Named("minimum-kubernetes").ObjectsAsync()).OfKind("PodDisruptionBudget"),
            p => Assert.Null(p["spec"]!["unhealthyPodEvictionPolicy"]));
        Assert.All((await (Renders.Default with { KubeVersion = "1.27.0" }).ObjectsAsync()).OfKind("PodDisruptionBudget"),
            p => Assert.Equal("AlwaysAllow", (string?)p["spec"]!["unhealthyPodEvictionPolicy"]));
    }

    [Fact]
    public async Task Every_service_has_a_startup_probe_long_enough_for_a_slow_kafka_and_the_migration()
    {
        foreach (var deployment in (await Renders.Default.ObjectsAsync()).OfKind("Deployment").Where(d => d.Role() is not null))
        {
            var startup = deployment.Container()["startupProbe"]!;
            Assert.Equal("/health/live", (string?)startup["httpGet"]!["path"]);
            Assert.True((int)startup["periodSeconds"]! * (int)startup["failureThreshold"]! >= 120, deployment.Name());
        }
    }

    [Fact]
    public async Task In_memory_state_runs_one_replica_per_service_and_nothing_scales_it()
    {
        var objects = await Renders.Named("in-memory-state").ObjectsAsync();
        Assert.Empty(objects.OfKind("ScaledObject"));
        Assert.DoesNotContain(objects.OfKind("Job"), j => j.Name().Contains("-migrate-"));
        Assert.All(objects.OfKind("Deployment"), d => Assert.Equal(1, (int)d["spec"]!["replicas"]!));
    }

    [Fact]
    public async Task Hpa_mode_needs_the_lag_exporter_and_something_that_scrapes_it()
    {
        var withoutExporter = await Renders.Named("hpa").With("kafkaExporter: { enabled: false }\n").TemplateAsync();
        Assert.NotEqual(0, withoutExporter.ExitCode);
        Assert.Contains("set kafkaExporter.enabled", withoutExporter.Output);
        var unscraped = await Renders.Named("hpa").With("metrics: { scrapeAnnotations: false }\n").TemplateAsync();
        Assert.NotEqual(0, unscraped.ExitCode);
        Assert.Contains("needs Prometheus to scrape kafka_exporter", unscraped.Output);
    }

    [Fact]
    public async Task A_service_monitor_replaces_the_scrape_annotations_so_nothing_is_scraped_twice()
    {
        var objects = await Renders.Named("service-monitor").ObjectsAsync();
        Assert.Single(objects.OfKind("ServiceMonitor"));
        Assert.All(objects.OfKind("Deployment"), d => Assert.Null(d["spec"]!["template"]!["metadata"]!["annotations"]?["prometheus.io/scrape"]));
        Assert.All((await Renders.Default.ObjectsAsync()).OfKind("Deployment"),
            d => Assert.Equal("true", (string?)d["spec"]!["template"]!["metadata"]!["annotations"]!["prometheus.io/scrape"]));
    }

    [Fact]
    public async Task The_kafka_exporter_has_a_liveness_probe_and_the_pull_secrets()
    {
        var render = Renders.Default.With("imagePullSecrets: [{ name: registry-credentials }]\n");
        foreach (var deployment in (await render.ObjectsAsync()).OfKind("Deployment"))
        {
            Assert.Equal("registry-credentials", (string?)deployment.SelectToken("spec.template.spec.imagePullSecrets[0].name"));
            Assert.NotNull(deployment.Container()["livenessProbe"]);
        }
    }

    [Fact]
    public async Task No_empty_secret_for_ssl_without_credentials()
    {
        var render = Renders.Default.With("kafka: { enabled: false }\npostgresql: { enabled: false }\nkafkaConnection: { bootstrapServers: \"b:9093\", securityProtocol: SSL }\nkafkaSigning: { mode: \"Off\" }\n");
        Assert.Empty((await render.ObjectsAsync()).OfKind("Secret"));
        // With signing keys to hold, the Secrets hold them, and nothing empty is rendered either.
        Assert.All((await Renders.Default.With("kafka: { enabled: false }\npostgresql: { enabled: false }\nkafkaConnection: { bootstrapServers: \"b:9093\", securityProtocol: SSL }\n").ObjectsAsync()).OfKind("Secret"),
            s => Assert.NotEmpty(s.Entries()));
    }

    [Theory]
    [InlineData("services.api.autoscaling", "{ enabled: true, minReplicas: 4, maxReplicas: 2, lagThreshold: 10 }", "minReplicas 4 is above maxReplicas 2")]
    public async Task Helm_refuses_what_the_schema_cannot_compare(string path, string value, string message)
    {
        var parts = path.Split('.');
        var yaml = string.Join('\n', parts.Select((p, i) => new string(' ', 2 * i) + p + ":" + (i == parts.Length - 1 ? " " + value : ""))) + "\n";
        var result = await Renders.Default.With(yaml).TemplateAsync();
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Output);
    }

    [Theory]
    [InlineData("services:\n  api:\n    pdb: { enabled: true, maxUnavailable: abc }\n", "maxUnavailable")]
    [InlineData("podSecurityContext: { runAsNonroot: true }\n", "runAsNonroot")]
    [InlineData("containerSecurityContext: { readOnlyRootFileSystem: true }\n", "readOnlyRootFileSystem")]
    public async Task Helm_refuses_values_the_schema_rejects(string yaml, string culprit)
    {
        var result = await Renders.Default.With(yaml).TemplateAsync();
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(culprit, result.Output);
    }

    [Fact]
    public async Task Notes_print_https_for_a_tls_ingress()
    {
        // helm template leaves NOTES out; a client-side dry run of the install prints them without a cluster.
        var result = await RepoTools.RunAsync(RepoTools.Helm, ["install", .. await Renders.Named("ingress-tls").ArgumentsAsync(withRelease: true),
            "--dry-run=client"]);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("API=https://saga.example.com", result.Output);
    }
}
