using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Npgsql;
using SagaDemo.Host.Http;
using SagaDemo.Hosting.Endpoints;
using SagaDemo.Persistence.Sagas;
using SagaDemo.Sagas.OrderFulfilment;

namespace SagaDemo.Sagas.Tests.Sagas;

/// <summary>Which database failures endpoints wait out (outages) and which they give up on after a few retries.</summary>
public sealed class StorageOutageTests
{
    static PostgresException Server(string sqlState) => new("server says no", "FATAL", "FATAL", sqlState);

    [Theory]
    [InlineData("57P03")] // the database system is starting up / shutting down
    [InlineData("57P01")] // terminating connection due to administrator command
    [InlineData("08006")] // connection failure
    [InlineData("53300")] // too many connections
    public void A_server_going_away_or_refusing_connections_is_an_outage(string sqlState) =>
        Assert.True(StorageOutage.Is(Server(sqlState)));

    [Theory]
    [InlineData("40001")] // serialization failure: contention, retried briefly as a conflict
    [InlineData("40P01")] // deadlock
    [InlineData("23505")] // unique violation
    [InlineData("42P01")] // undefined table: a bug, not an outage
    public void Other_server_errors_are_not_outages(string sqlState) => Assert.False(StorageOutage.Is(Server(sqlState)));

    [Fact]
    public void No_connection_at_all_is_an_outage() =>
        Assert.True(StorageOutage.Is(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));

    [Fact]
    public void An_outage_wrapped_by_the_saga_repository_is_still_one_and_a_conflict_is_not()
    {
        Assert.True(StorageOutage.Is(new SagaConcurrencyException("x", typeof(OrderState), Guid.NewGuid(), Server("57P03"))));
        Assert.False(StorageOutage.Is(new SagaConcurrencyException("x", typeof(OrderState), Guid.NewGuid(), Server("40001"))));
        Assert.False(StorageOutage.Is(new SagaConcurrencyException("x", typeof(OrderState), Guid.NewGuid())));
        Assert.False(StorageOutage.Is(new InvalidOperationException("warehouse on fire")));
    }

    [Theory]
    [InlineData("57P01", true)]
    [InlineData("08006", true)]
    [InlineData("40001", false)]
    [InlineData("23505", false)]
    public async Task The_http_api_answers_503_by_the_same_rule(string sqlState, bool outage)
    {
        var context = new DefaultHttpContext();
        var handled = await new StorageUnavailableExceptionHandler(new NoProblemWriter()).TryHandleAsync(context, Server(sqlState), CancellationToken.None);
        Assert.Equal(outage, handled);
        Assert.Equal(outage ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK, context.Response.StatusCode);
    }

    sealed class NoProblemWriter : IProblemDetailsService
    {
        public ValueTask WriteAsync(ProblemDetailsContext context) => ValueTask.CompletedTask;
        public ValueTask<bool> TryWriteAsync(ProblemDetailsContext context) => ValueTask.FromResult(true);
    }
}
