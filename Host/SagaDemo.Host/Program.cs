using SagaDemo.Host.Commands;
using SagaDemo.Host.Composition;

if (MigrateCommand.IsInvocation(args))
    return await MigrateCommand.RunAsync(args);
if (await KafkaCommands.TryRunAsync(args))
    return 0;

var builder = WebApplication.CreateBuilder(args);
var roles = Roles.From(builder.Configuration["Roles"]);
builder.AddSagaDemo(roles);

var app = builder.Build();
app.MapSagaDemo(roles);
app.Logger.LogInformation("SagaDemo started services: {Roles}", string.Join(", ", roles.Active));
await app.RunAsync();
return 0;

/// <summary>Entry point; public so the ASP.NET test host can start it.</summary>
public partial class Program;
