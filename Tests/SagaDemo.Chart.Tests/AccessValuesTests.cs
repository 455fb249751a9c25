using Microsoft.Extensions.Configuration;
using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Rendering;
using SagaDemo.Chart.Tests.Support;
using SagaDemo.Host.Composition;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Services.Approval;
using SagaDemo.Services.Http.Access;
using SagaDemo.Services.Http.RateLimiting;

namespace SagaDemo.Chart.Tests;

/// <summary>
/// What the rendered pods are configured with: API keys only in a Secret, rate limiting off by default, credentials
/// from the Secret (each service its own), and every setting the chart writes binding to an option of the app.
/// </summary>
public class AccessValuesTests
{
    [Fact]
    public async Task Anonymous_access_renders_only_when_allowed_and_rate_limiting_is_off_by_default()
    {
        var config = (await Renders.Default.ObjectsAsync()).OfKind("ConfigMap").Single(c => c.Name().EndsWith("-config")).Entries();
        Assert.Equal(nameof(AccessMode.None), config["Auth__Mode"]);
        Assert.DoesNotContain(config.Keys, k => k.StartsWith("RateLimiting__", StringComparison.Ordinal));
        Assert.Equal(nameof(AccessMode.ApiKey),
            (await Renders.Named("api-keys-inline").ObjectsAsync()).OfKind("ConfigMap").Single(c => c.Name().EndsWith("-config")).Entries()["Auth__Mode"]);
    }

    [Fact]
    public async Task Api_keys_go_into_a_secret_every_deployment_reads_and_never_into_the_config_map()
    {
        var objects = await Renders.Named("api-keys-inline").ObjectsAsync();
        Assert.DoesNotContain(objects.OfKind("ConfigMap").SelectMany(c => c.Entries().Keys), k => k.Contains("ApiKeys"));
        var secret = objects.Single("Secret", "saga-saga-demo-api-keys").Entries();
        Assert.Equal("shop", secret["Auth__ApiKeys__0__ClientId"]);
        Assert.Equal(64, secret["Auth__ApiKeys__0__KeyHash"].Length);
        Assert.Equal("local-dev-only-key", secret["Auth__ApiKeys__1__Key"]);
        Assert.DoesNotContain("HELM_TEST_API_KEY", secret.Keys);
        // Every role serves protected routes (/users, /inventory, /statistics), so every service reads the keys.
        Assert.All(objects.OfKind("Deployment").Where(d => d.Role() is not null),
            d => Assert.Contains(d.Container()["envFrom"]!, e => (string?)e["secretRef"]?["name"] == "saga-saga-demo-api-keys"));

        var existing = await Renders.Named("api-keys-existing-secret").ObjectsAsync();
        Assert.DoesNotContain(existing.OfKind("Secret"), s => s.Name().EndsWith("-api-keys"));
        Assert.All(existing.OfKind("Deployment").Where(d => d.Role() is not null),
            d => Assert.Contains(d.Container()["envFrom"]!, e => (string?)e["secretRef"]?["name"] == "saga-api-keys"));
    }

    [Fact]
    public async Task Jwt_mode_configures_issuer_and_audience_in_the_config_map_and_the_helm_test_expects_a_401()
    {
        var objects = await Renders.Named("jwt").ObjectsAsync();
        var config = objects.OfKind("ConfigMap").Single(c => c.Name().EndsWith("-config")).Entries();
        Assert.Equal(nameof(AccessMode.Jwt), config["Auth__Mode"]);
        Assert.Equal("https://login.example.com/realms/shop", config["Auth__Jwt__Authority"]);
        Assert.Equal("sagademo", config["Auth__Jwt__Audience"]);
        Assert.Equal("client_id", config["Auth__Jwt__OwnerClaims__1"]);
        Assert.DoesNotContain(objects.OfKind("Secret"), s => s.Name().EndsWith("-api-keys"));
        var testEnv = objects.OfKind("Pod").Single()["spec"]!["containers"]![0]!["env"]!;
        Assert.Equal("Jwt", (string?)testEnv.Single(e => (string?)e["name"] == "AUTH")["value"]);

        // Without an authority: the issuer and its public keys, one entry per key, PEM intact.
        const string pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----";
        var keyed = await Renders.PureDefaults.With($$"""
            auth: { mode: Jwt, jwt: { audience: sagademo, issuer: "https://issuer.example", signingKeys: ["{{pem.Replace("\n", "\\n")}}"] } }
            """).ObjectsAsync();
        var keyedConfig = keyed.OfKind("ConfigMap").Single(c => c.Name().EndsWith("-config")).Entries();
        Assert.Equal(pem, keyedConfig["Auth__Jwt__SigningKeys__0"]);
        Assert.Equal("https://issuer.example", keyedConfig["Auth__Jwt__Issuer"]);
        Assert.DoesNotContain("Auth__Jwt__Authority", keyedConfig.Keys);
    }

    [Fact]
    public async Task The_postgres_ca_is_mounted_from_the_secret_and_named_by_PGSSLROOTCERT()
    {
        var objects = await Renders.Named("postgres-tls").ObjectsAsync();
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", objects.Single("Secret", "saga-saga-demo-credentials").Entries()["postgres-ca.crt"]);
        // The services that keep state, and the migration Job; approval keeps none and gets no database access at all.
        var workloads = objects.OfKind("Deployment").Where(d => d.Role() is not null and not "approval")
            .Concat(objects.OfKind("Job").Where(j => j.Name().Contains("-migrate-"))).ToList();
        Assert.Equal(7, workloads.Count);
        Assert.DoesNotContain(objects.OfKind("Deployment").Single(d => d.Role() == "approval").Container()["env"]!,
            e => (string?)e["name"] is "PGSSLROOTCERT" or "ConnectionStrings__Postgres");
        foreach (var workload in workloads)
        {
            var env = workload.Container()["env"]!.Single(e => (string?)e["name"] == "PGSSLROOTCERT");
            var mount = workload.Container()["volumeMounts"]!.Single(m => (string?)m["name"] == "postgres-ca");
            Assert.Equal($"{mount["mountPath"]}/ca.crt", (string?)env["value"]);
            var volume = workload.SelectToken("spec.template.spec.volumes")!.Single(v => (string?)v["name"] == "postgres-ca");
            Assert.Equal("saga-saga-demo-credentials", (string?)volume["secret"]!["secretName"]);
        }
    }

    [Fact]
    public async Task Each_service_uses_its_own_kafka_principal_and_the_protocol_in_kafkas_spelling_is_accepted_by_the_app()
    {
        var objects = await Renders.Named("sasl-ssl").ObjectsAsync();
        var secret = objects.Single("Secret", "saga-saga-demo-credentials").Entries();
        var usernames = (JObject)ChartFiles.Values["kafkaConnection"]!["sasl"]!["usernames"]!;
        foreach (var deployment in objects.OfKind("Deployment").Where(d => d.Role() is not null))
        {
            var env = deployment.Container()["env"]!;
            Assert.Equal((string?)usernames[deployment.Role()!], (string?)env.Single(e => (string?)e["name"] == "Kafka__SaslUsername")["value"]);
            var reference = env.Single(e => (string?)e["name"] == "Kafka__SaslPassword")["valueFrom"]!["secretKeyRef"]!;
            Assert.Equal("saga-saga-demo-credentials", (string?)reference["name"]);
            Assert.Equal($"kafka-sasl-password-{deployment.Role()}", (string?)reference["key"]);
            Assert.Equal($"p-{deployment.Role()}", secret[(string)reference["key"]!]);
        }

        var schemaProtocols = JObject.Parse(File.ReadAllText(Path.Combine(RepoPaths.Chart, "values.schema.json")))
            .SelectToken("properties.kafkaConnection.properties.securityProtocol.enum")!.Values<string>();
        foreach (var protocol in schemaProtocols)
        {
            var options = new KafkaOptions { SecurityProtocol = protocol!, SaslMechanism = "SCRAM-SHA-512", SaslUsername = "u", SaslPassword = "p" };
            var result = new KafkaOptionsValidator().Validate(null, options);
            Assert.True(result.Succeeded, $"{protocol}: {result.FailureMessage}");
        }
    }

    /// <summary>
    /// Every environment variable a rendered pod gets from the chart (ConfigMap, the chart's Secrets, plain env),
    /// with its rendered value, bound the way the app binds its environment (Key__Sub is Key:Sub) with unknown keys
    /// as errors: a misspelt name would be ignored in silence, a value of the wrong type ("1.048576e+06") stops the pod.
    /// </summary>
    [Theory]
    [MemberData(nameof(Renders.Names), MemberType = typeof(Renders))]
    public async Task Every_setting_the_chart_writes_binds_to_an_option_of_the_app(string render)
    {
        var objects = await Renders.Named(render).ObjectsAsync();
        var settings = new Dictionary<string, string?>();
        foreach (var source in objects.OfKind("ConfigMap").Where(c => c.Name().EndsWith("-config"))
                     .Concat(objects.OfKind("Secret").Where(s => s.Name().EndsWith("-api-keys"))))
            foreach (var (key, value) in source.Entries())
                settings[key] = value;
        foreach (var env in objects.OfKind("Deployment").Where(d => d.Role() is not null).SelectMany(d => d.Container()["env"]!))
            settings[(string)env["name"]!] = (string?)env["value"] ?? "secret";

        // Read by the app or its libraries outside the option classes below.
        string[] otherKeys = ["Roles", "ConnectionStrings__Postgres", "Logging__LogLevel__Default", "OTEL_SERVICE_NAME",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "PGSSLROOTCERT", PostgresStorage.MigrateOnStartKey.Replace(":", "__")];
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":"), s.Value)))
            .Build();
        void Bind<T>(string section) where T : new() =>
            configuration.GetSection(section).Get<T>(o => o.ErrorOnUnknownConfiguration = true);
        Bind<KafkaOptions>(KafkaOptions.Section);
        Bind<AccessOptions>(AccessOptions.Section);
        Bind<RateLimitingOptions>(RateLimitingOptions.Section);
        Bind<ApprovalOptions>(ApprovalOptions.Section);
        Bind<UserRegistrationOptions>(UserRegistrationOptions.Section);
        Bind<SagaDemo.Host.OperationsConsole.ConsoleOptions>(SagaDemo.Host.OperationsConsole.ConsoleOptions.Section);
        string[] sections = [KafkaOptions.Section, AccessOptions.Section, RateLimitingOptions.Section, ApprovalOptions.Section, UserRegistrationOptions.Section,
            SagaDemo.Host.OperationsConsole.ConsoleOptions.Section];
        var unknown = settings.Keys.Where(k => !otherKeys.Contains(k) && !sections.Any(s => k.StartsWith(s + "__", StringComparison.Ordinal))).ToList();
        Assert.True(unknown.Count == 0, "settings no part of the app reads: " + string.Join(", ", unknown));
        if (settings.TryGetValue(PostgresStorage.MigrateOnStartKey.Replace(":", "__"), out var migrate))
            Assert.False(configuration.GetValue<bool>(PostgresStorage.MigrateOnStartKey), migrate);
    }
}
