using SagaDemo.Testing;
using System.Diagnostics;
using MassTransit;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Contracts;
using Xunit.Abstractions;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Persistence.Tests.Benchmarks;

/// <summary>
/// User sagas per second, in-memory state vs PostgreSQL, same process and transport (in-memory).
/// Run: <c>SAGADEMO_BENCHMARK=1 dotnet test Tests/SagaDemo.Persistence.Tests -c Release --filter Category=Benchmark
/// --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class UserSagaThroughputBenchmark(PostgresServerFixture fixture, ITestOutputHelper output) : PostgresTestBase(fixture)
{
    // Messages each endpoint works at once: the approval endpoint mostly waits out its delay, the
    // others mostly wait on database round trips, so both need far more than the transport's default.
    const int ApprovalConcurrencyLimit = 512;
    const int EndpointConcurrencyLimit = 64;

    [BenchmarkFact]
    public async Task User_sagas_per_second()
    {
        foreach (var (delay, count, concurrency) in new[] { ("00:00:00", 1500, 64), ("00:00:00.200", 2000, 512) })
        {
            var memory = await MeasureAsync(null, delay, count, concurrency);
            var postgres = await MeasureAsync(ConnectionString, delay, count, concurrency);
            output.WriteLine($"Approval:Delay={delay} sagas={count} client concurrency={concurrency}: " +
                             $"in-memory {memory:F0}/s, PostgreSQL {postgres:F0}/s");
        }
    }

    async Task<double> MeasureAsync(string? connectionString, string delay, int count, int concurrency)
    {
        await using var app = new PostgresAppFactory(connectionString, new Dictionary<string, string> { ["Approval:Delay"] = delay })
            .WithWebHostBuilder(b => b.ConfigureTestServices(s =>
                s.AddSingleton<IConfigureReceiveEndpoint>(new ApprovalConcurrency(ApprovalConcurrencyLimit))));
        var client = app.CreateClient();
        await client.RunAsync("/operations/user-create", """{"name":"warmup"}""");

        var watch = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(concurrency);
        var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                return await client.StartAsync("/operations/user-create", $$"""{"name":"user{{i}}"}""");
            }
            finally
            {
                gate.Release();
            }
        }));
        // Waiting on the newest operation costs one request per poll; the sweep that follows confirms the
        // rest in parallel. Polling every id one by one would measure the polling, not the sagas.
        var remaining = ids.ToList();
        while (remaining.Count > 0)
        {
            await client.FinishedAsync(remaining[^1], TimeSpan.FromMinutes(3));
            var finished = await Task.WhenAll(remaining.Select(async id =>
            {
                await gate.WaitAsync();
                try
                {
                    return (await client.GetOperationAsync(id)).GetProperty("status").GetString() != "pending";
                }
                finally
                {
                    gate.Release();
                }
            }));
            remaining = [.. remaining.Where((_, i) => !finished[i])];
        }
        return count / watch.Elapsed.TotalSeconds;
    }

    sealed class ApprovalConcurrency(int limit) : IConfigureReceiveEndpoint
    {
        public void Configure(string name, IReceiveEndpointConfigurator configurator)
        {
            configurator.ConcurrentMessageLimit = name == ApprovalRole.Group ? limit : EndpointConcurrencyLimit;
        }
    }
}
