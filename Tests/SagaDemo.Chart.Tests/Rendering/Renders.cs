namespace SagaDemo.Chart.Tests.Rendering;

/// <summary>
/// The installs the README documents, each rendered, linted and validated by the tests: the defaults (with the one
/// choice the chart insists on), every values file in deploy/helm/, and the combinations a user is told about.
/// </summary>
public static class Renders
{
    /// <summary>The chart's kubeVersion floor (Chart.yaml): validated against Kubernetes 1.25's schemas.</summary>
    public const string MinimumKubeVersion = "1.25.0";

    /// <summary>50 characters, the longest release name a user is likely to pick; the chart's names must stay apart.</summary>
    public const string LongRelease = "payments-team-saga-orchestration-prod-eu-west-blue";

    /// <summary>What the chart's pure defaults lack: it refuses to run without access control unless told so.</summary>
    public const string AllowAnonymous = "auth: { allowAnonymous: true }\n";

    /// <summary>A fixed password seed: renders that must compare equal (`helm template` cannot read the seed back).</summary>
    public const string FixedSeed = "secrets: { passwordSeed: chart-tests-seed-0123456789abcdef0123456789 }\n";

    /// <summary>The pure defaults: refused (anonymous access).</summary>
    public static readonly Render PureDefaults = new("pure-defaults");

    public static readonly Render Default = new("default", Values: AllowAnonymous);

    /// <summary>
    /// Kafka outside the release over PLAINTEXT (the pod test's kafka-dev broker speaks neither SASL nor ACLs), the
    /// bundled PostgreSQL with per-service logins.
    /// </summary>
    public static readonly Render ExternalPlaintextKafka = Default.With("""
        kafka: { enabled: false }
        kafkaConnection: { bootstrapServers: "dev-kafka:9092", securityProtocol: PLAINTEXT }
        """) with { Name = "external-plaintext-kafka" };

    public static readonly IReadOnlyList<Render> All =
    [
        Default,
        Default with { Name = "minimum-kubernetes", KubeVersion = MinimumKubeVersion },
        new("values-local", ValuesFiles: ["deploy/helm/values-local.yaml"]),
        new("values-managed-kafka", ValuesFiles: ["deploy/helm/values-managed-kafka.yaml"]),
        Default.With("autoscaling: { mode: hpa }\n") with { Name = "hpa" },
        new("api-keys-inline", Values: """
            auth:
              mode: ApiKey
              apiKeys:
                - { clientId: shop, keyHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }
                - { clientId: backoffice, key: local-dev-only-key }
              testApiKey: local-dev-only-key
            """),
        new("jwt", Values: """
            auth:
              mode: Jwt
              jwt: { authority: "https://login.example.com/realms/shop", audience: sagademo, ownerClaims: [sub, client_id] }
            console: { traceUrl: "https://traces.example.com/trace/{traceId}", operators: [ops-team] }
            networkPolicy:
              extraEgress: [{ ports: [{ port: 443, protocol: TCP }] }]
            """),
        new("api-keys-existing-secret", Values: "auth: { mode: ApiKey, existingSecret: saga-api-keys, testApiKeyExistingSecret: saga-helm-test }\n"),
        Default.With("rateLimiting: { permitsPerSecond: 1000000, burst: 2000000 }\n") with { Name = "rate-limiting" },
        Default.With("""
            ingress:
              enabled: true
              className: nginx
              host: saga.example.com
              tls: [{ secretName: saga-tls, hosts: [saga.example.com] }]
            networkPolicy:
              apiFrom: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ingress-nginx } } }]
            """) with { Name = "ingress-tls" },
        Default.With("metrics: { serviceMonitor: { enabled: true, labels: { release: kube-prometheus-stack } } }\n") with { Name = "service-monitor" },
        Default.With("""
            secrets:
              postgresConnectionString: "Host=pg.example.com;Database=sagademo;Username=saga;Password=secret;SSL Mode=VerifyFull"
              postgresServiceConnectionStrings:
                api: "Host=pg.example.com;Database=sagademo;Username=saga_api;Password=secret-api;SSL Mode=VerifyFull"
                users: "Host=pg.example.com;Database=sagademo;Username=saga_users;Password=secret-users;SSL Mode=VerifyFull"
                orders: "Host=pg.example.com;Database=sagademo;Username=saga_orders;Password=secret-orders;SSL Mode=VerifyFull"
                warehouse: "Host=pg.example.com;Database=sagademo;Username=saga_warehouse;Password=secret-warehouse;SSL Mode=VerifyFull"
                payment: "Host=pg.example.com;Database=sagademo;Username=saga_payment;Password=secret-payment;SSL Mode=VerifyFull"
                statistics: "Host=pg.example.com;Database=sagademo;Username=saga_statistics;Password=secret-statistics;SSL Mode=VerifyFull"
            postgresql: { enabled: false }
            postgresTls:
              caCert: |
                -----BEGIN CERTIFICATE-----
                MIIBszCCAVmgAwIBAgIUexample
                -----END CERTIFICATE-----
            """) with { Name = "postgres-tls" },
        Default.With("""
            kafka: { enabled: false }
            kafkaConnection:
              bootstrapServers: b-1.kafka.example.com:9096,b-2.kafka.example.com:9096
              securityProtocol: SASL_SSL
              sasl:
                mechanism: SCRAM-SHA-512
                passwords: { api: p-api, users: p-users, approval: p-approval, orders: p-orders, warehouse: p-warehouse, payment: p-payment, statistics: p-statistics, monitor: p-monitor }
              tls:
                caCert: |
                  -----BEGIN CERTIFICATE-----
                  MIIBszCCAVmgAwIBAgIUexample
                  -----END CERTIFICATE-----
            """) with { Name = "sasl-ssl" },
        Default with { Name = "long-release-name", Release = LongRelease },
        Default.With("postgresql: { enabled: false }\n") with { Name = "in-memory-state" },
        Default.With("migrations: { enabled: false }\n") with { Name = "migrations-off" },
        ExternalPlaintextKafka,
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
