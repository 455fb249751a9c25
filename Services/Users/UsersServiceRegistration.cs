using MassTransit;
using SagaDemo.Contracts;
using SagaDemo.Services.Hosting;
using SagaDemo.Services.Http;

namespace SagaDemo.Services.Users;

public sealed class UserStoreConsumerDefinition<TConsumer>() : ServiceConsumerDefinition<TConsumer>(ConsumerGroups.UserStore)
    where TConsumer : class, IConsumer;

/// <summary>Wiring of the user store (role <c>users</c>; the user saga is wired by the host).</summary>
public static class UsersServiceRegistration
{
    public static IServiceCollection AddUsersService(this IServiceCollection services)
    {
        services.TryAddSingleton<IUserStore, InMemoryUserStore>();
        return services;
    }

    public static IBusRegistrationConfigurator AddUsersConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<StoreUserConsumer, UserStoreConsumerDefinition<StoreUserConsumer>>();
        return bus;
    }

    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/users/{id}", async (string id, IUserStore store, CancellationToken ct) =>
        {
            if (!Problems.TryParseId(id, out var userId, out var invalid))
                return invalid!;
            var user = await store.FindAsync(userId, ct);
            return user is null ? Problems.NotFound($"User {userId} does not exist.") : Results.Ok(user);
        })
            .WithName("GetUser").WithTags("Users")
            .WithSummary("Get a user")
            .Produces<User>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }
}
