using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Services.Http;

namespace SagaDemo.Api.Tests.Api;

public sealed class BadHttpRequestExceptionHandlerTests
{
    [Theory]
    [InlineData(400)]
    [InlineData(413)]
    public async Task Server_read_failures_become_their_4xx_problem(int status)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        var handler = new BadHttpRequestExceptionHandler(services.GetRequiredService<IProblemDetailsService>());

        var handled = await handler.TryHandleAsync(context, new BadHttpRequestException("bad", status), default);

        Assert.True(handled);
        Assert.Equal(status, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
    }

    [Fact]
    public async Task Other_exceptions_are_left_to_the_default_handler()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var handler = new BadHttpRequestExceptionHandler(services.GetRequiredService<IProblemDetailsService>());
        Assert.False(await handler.TryHandleAsync(new DefaultHttpContext(), new InvalidOperationException(), default));
    }
}
