namespace SagaDemo.Chart.Tests.Rendering;

/// <summary>
/// The installs the README documents, each rendered, linted and validated by the tests: the defaults, every
/// values file in deploy/helm/, and the combinations a user is told about.
/// </summary>
public static class Renders
{
    /// <summary>The chart's kubeVersion floor (Chart.yaml): validated against Kubernetes 1.25's schemas.</summary>
    public const string MinimumKubeVersion = "1.25.0";

    /// <summary>50 characters, the longest release name a user is likely to pick; the chart's names must stay apart.</summary>
    public const string LongRelease = "payments-team-saga-orchestration-prod-eu-west-blue";

    public static readonly Render Default = new("default");

    public static readonly IReadOnlyList<Render> All =
    [
        Default,
        new("minimum-kubernetes", KubeVersion: MinimumKubeVersion),
        new("values-local", ValuesFiles: ["deploy/helm/values-local.yaml"]),
        new("values-managed-kafka", ValuesFiles: ["deploy/helm/values-managed-kafka.yaml"]),
        new("hpa", Values: "autoscaling: { mode: hpa }\n"),
        new("api-keys-inline", Values: """
            auth:
              mode: ApiKey
              apiKeys:
                - { clientId: shop, keyHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }
                - { clientId: backoffice, key: local-dev-only-key }
              testApiKey: local-dev-only-key
            """),
        new("api-keys-existing-secret", Values: "auth: { mode: ApiKey, existingSecret: saga-api-keys }\n"),
        new("rate-limiting", Values: "rateLimiting: { permitsPerSecond: 1000000, burst: 2000000 }\n"),
        new("ingress-tls", Values: """
            ingress:
              enabled: true
              className: nginx
              host: saga.example.com
              tls: [{ secretName: saga-tls, hosts: [saga.example.com] }]
            """),
        new("service-monitor", Values: "metrics: { serviceMonitor: { enabled: true, labels: { release: kube-prometheus-stack } } }\n"),
        new("postgres-tls", Values: """
            secrets:
              postgresConnectionString: "Host=pg.example.com;Database=sagademo;Username=saga;Password=secret;SSL Mode=VerifyFull"
            postgresql: { enabled: false }
            postgresTls:
              caCert: |
                -----BEGIN CERTIFICATE-----
                MIIBszCCAVmgAwIBAgIUexample
                -----END CERTIFICATE-----
            """),
        new("sasl-ssl", Values: """
            kafka: { enabled: false }
            kafkaConnection:
              bootstrapServers: b-1.kafka.example.com:9096,b-2.kafka.example.com:9096
              securityProtocol: SASL_SSL
              sasl: { mechanism: SCRAM-SHA-512, username: saga, password: secret }
              tls:
                caCert: |
                  -----BEGIN CERTIFICATE-----
                  MIIBszCCAVmgAwIBAgIUexample
                  -----END CERTIFICATE-----
            """),
        new("long-release-name", Release: LongRelease),
        new("in-memory-state", Values: "postgresql: { enabled: false }\n"),
    ];

    public static Render Named(string name) => All.Single(r => r.Name == name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var render in All)
            data.Add(render.Name);
        return data;
    }
}
