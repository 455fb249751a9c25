using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Support;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Services.Http.Access;
using SagaDemo.Services.Http.RateLimiting;

namespace SagaDemo.Chart.Tests;

/// <summary>
/// API keys, rate limiting, Kafka limits and PostgreSQL TLS from chart values: off by default, keys only ever in a
/// Secret, and every environment variable the chart writes binds to a real setting of the app.
/// </summary>
public class AccessValuesTests
{
    static JObject Values => ChartFiles.Values;

    [Fact]
    public void Access_control_and_rate_limiting_are_off_by_default()
    {
        Assert.Equal(nameof(AccessMode.None), (string?)Values["auth"]!["mode"]);
        Assert.Empty((JArray)Values["auth"]!["apiKeys"]!);
        Assert.Equal(0, (int)Values["rateLimiting"]!["permitsPerSecond"]!);
        // Off in the app too: the chart passes the mode, and the limit only when it is set.
        Assert.Matches(@"\{\{- if gt \(int \.Values\.rateLimiting\.permitsPerSecond\) 0 \}\}\s+RateLimiting__PermitsPerSecond:", ChartFiles.Template("configmap.yaml"));
    }

    [Fact]
    public void Api_keys_go_into_a_secret_and_never_into_the_config_map()
    {
        var configMap = ChartFiles.Template("configmap.yaml");
        Assert.DoesNotContain("ApiKeys", configMap);
        Assert.DoesNotContain(".Values.auth.apiKeys", configMap);

        var secret = ChartFiles.Template("api-keys-secret.yaml");
        Assert.Contains("kind: Secret", secret);
        Assert.Contains("if and (include \"saga-demo.usesApiKeys\" .) (not .Values.auth.existingSecret)", secret);
        Assert.Contains("fail \"auth.mode=ApiKey needs auth.apiKeys or auth.existingSecret\"", secret);
        foreach (var setting in new[] { "ClientId", "KeyHash", "Key" })
            Assert.Contains($"Auth__ApiKeys__{{{{ $i }}}}__{setting}:", secret);

        // Every role serves protected routes (/users, /inventory, /statistics), so every Deployment reads the keys.
        Assert.Matches(@"if include ""saga-demo\.usesApiKeys"" \$ \}\}\s+- secretRef:\s+name: \{\{ include ""saga-demo\.apiKeysSecretName"" \$ \}\}",
            ChartFiles.Template("deployments.yaml"));
        Assert.Contains("default (printf \"%s-api-keys\" (include \"saga-demo.fullname\" .)) .Values.auth.existingSecret",
            ChartFiles.Template("_helpers.tpl"));
    }

    [Fact]
    public void The_postgres_ca_is_mounted_from_the_secret_and_named_by_PGSSLROOTCERT()
    {
        var deployments = ChartFiles.Template("deployments.yaml");
        Assert.Matches(@"- name: PGSSLROOTCERT\s+value: /etc/saga-demo/postgres-ca/ca\.crt", deployments);
        Assert.Matches(@"- name: postgres-ca\s+mountPath: /etc/saga-demo/postgres-ca", deployments);
        Assert.Matches(@"- name: postgres-ca\s+secret:\s+secretName: \{\{ include ""saga-demo\.secretName"" \$ \}\}\s+items:\s+- key: postgres-ca\.crt\s+path: ca\.crt", deployments);
        Assert.Matches(@"with \.Values\.postgresTls\.caCert \}\}\s+postgres-ca\.crt: \|", ChartFiles.Template("secret.yaml"));
        // The chart's Secret is not rendered next to an existing one, so a CA given in values could never arrive.
        Assert.Contains("fail \"postgresTls.caCert cannot go into secrets.existingSecret", ChartFiles.Template("_helpers.tpl"));
    }

    [Fact]
    public void Kafka_sasl_credentials_come_from_the_secret_and_the_protocol_in_kafkas_spelling_is_accepted_by_the_app()
    {
        var deployments = ChartFiles.Template("deployments.yaml");
        foreach (var (variable, key) in new[] { ("Kafka__SaslUsername", "kafka-sasl-username"), ("Kafka__SaslPassword", "kafka-sasl-password"),
                     ("ConnectionStrings__Postgres", "postgres-connection-string") })
            Assert.Matches($@"- name: {variable}\s+valueFrom:\s+secretKeyRef:\s+name: .+\s+key: {Regex.Escape(key)}", deployments);

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
    /// Every Kafka__/Auth__/RateLimiting__ variable the templates write, bound the way the app binds its environment
    /// (Key__Sub is Key:Sub) with unknown keys as errors: a misspelt variable would otherwise be ignored in silence.
    /// </summary>
    [Fact]
    public void Every_setting_the_chart_writes_binds_to_an_option_of_the_app()
    {
        var names = new[] { "configmap.yaml", "api-keys-secret.yaml", "deployments.yaml" }
            .SelectMany(t => Regex.Matches(ChartFiles.Template(t), @"(?:^\s*|- name: )(?<name>(?:Kafka|Auth|RateLimiting)(?:__(?:[A-Za-z0-9]+|\{\{ \$i \}\}))+)(?=:|\s*$)", RegexOptions.Multiline))
            .Select(m => m.Groups["name"].Value.Replace("{{ $i }}", "0"))
            .Distinct()
            .ToList();
        Assert.Contains("Auth__Mode", names);
        Assert.Contains("Auth__ApiKeys__0__KeyHash", names);
        Assert.Contains("RateLimiting__Burst", names);
        Assert.Contains("Kafka__MaxRecordBytes", names);

        // "1" converts to every type involved (strings, numbers, TimeSpans, AccessMode.ApiKey).
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(names.Select(n => KeyValuePair.Create(n.Replace("__", ":"), (string?)"1")))
            .Build();
        void Bind<T>(string section) where T : new() =>
            configuration.GetSection(section).Get<T>(o => o.ErrorOnUnknownConfiguration = true);
        Bind<KafkaOptions>(KafkaOptions.Section);
        Bind<AccessOptions>(AccessOptions.Section);
        Bind<RateLimitingOptions>(RateLimitingOptions.Section);
        Assert.Equal(1, configuration.GetSection(KafkaOptions.Section).Get<KafkaOptions>()!.MaxRecordBytes);
    }
}
