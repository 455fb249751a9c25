using SagaDemo.Services.Http;
using SagaDemo.Services.Http.Access;

namespace SagaDemo.Services.Users;

/// <summary>Routes of the user store (its role, store, saga and consumers: the host's UsersRole).</summary>
public static class UsersServiceRegistration
{

    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder routes)
    {
        // Only the client whose operation created the user sees it; anyone else gets exactly the unknown id's answer.
        routes.MapGet("/users/{id}", async (string id, HttpContext http, IUserStore store, CancellationToken ct) =>
        {
            if (!Problems.TryParseId(id, out var userId, out var invalid))
                return invalid!;
            var user = await store.FindAsync(userId, ct);
            return user is null || user.Owner != ClientIdentity.Of(http)
                ? Problems.NotFound($"User {userId} does not exist.")
                : Results.Ok(user);
        })
            .WithName("GetUser").WithTags("Users")
            .WithSummary("Get a user")
            .WithDescription("Only the client whose operation created the user sees it; to anyone else it is unknown (404).")
            .Produces<User>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }
}
