using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using SagaDemo.Services.Users;
using SagaDemo.Testing;

namespace SagaDemo.Api.Tests.Api;

/// <summary>
/// The whole host with its embedded user store at the smallest capacity, one user a shard: past it, old users answer
/// 404 and the newest is read back; a capacity below that stops the start.
/// </summary>
public sealed class UserStoreCapacityTests
{
    sealed class SmallUserStoreFactory : SagaDemoApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Users:InMemoryCapacity", InMemoryUserStore.MinCapacity.ToString());
        }
    }

    [Fact]
    public async Task Past_its_capacity_the_embedded_store_keeps_the_newest_users_only()
    {
        await using var factory = new SmallUserStoreFactory();
        var client = factory.CreateClient();

        var earlier = new List<Task<JsonElement>>();
        for (var i = 0; i < 3 * InMemoryUserStore.MinCapacity; i++)
            earlier.Add(client.RunOperationAsync("/operations/user-create", $$"""{"name":"early{{i}}"}"""));
        var userIds = (await Task.WhenAll(earlier)).Select(o => o.GetProperty("result").GetProperty("userId").GetGuid()).ToList();
        // Stored after every earlier user, so the newest of its shard.
        var last = await client.RunOperationAsync("/operations/user-create", """{"name":"latest"}""");
        userIds.Add(last.GetProperty("result").GetProperty("userId").GetGuid());

        var readable = new List<Guid>();
        foreach (var id in userIds)
            if ((await client.GetAsync($"/users/{id}")).StatusCode == HttpStatusCode.OK) readable.Add(id);

        Assert.InRange(readable.Count, 1, InMemoryUserStore.MinCapacity);
        Assert.Contains(userIds[^1], readable);
    }

    [Fact]
    public void A_capacity_below_one_user_a_shard_stops_the_start()
    {
        using var app = new SagaDemoHostFactory([new("Users:InMemoryCapacity", "10")]);
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Users:InMemoryCapacity must be at least 64", error.ToString());
    }
}
