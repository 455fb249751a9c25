using SagaDemo.Host.Commands;
using SagaDemo.Host.Composition;

if (MigrateCommand.IsInvocation(args))
    return await MigrateCommand.RunAsync(args);
if (DeadLettersCommand.IsInvocation(args))
    return await DeadLettersCommand.RunAsync(args);
if (await KafkaCommands.TryRunAsync(args))
    return 0;

var builder = WebApplication.CreateBuilder(ContentRoot.Options(args));
Roles roles;
try
{
    roles = Roles.From(builder.Configuration["Roles"]);
}
catch (ArgumentException e)
{
    // A misspelt role is an operator's typo: say which, without a stack trace.
    Console.Error.WriteLine(e.Message);
    return 2;
}
builder.AddSagaDemo(roles);

var app = builder.Build();
app.MapSagaDemo(roles);
app.Logger.LogInformation("SagaDemo started services: {Roles}", string.Join(", ", roles.Active));
await app.RunAsync();
return 0;

/// <summary>Entry point; public so the ASP.NET test host can start it.</summary>
public partial class Program;
