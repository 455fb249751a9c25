using SagaDemo.Services.Operations.Browsing;

namespace SagaDemo.Services.Operations;

public sealed partial class InMemoryOperationStore : IOperationBrowser
{
    public Task<OperationPage> ListAsync(OperationFilter filter, CancellationToken cancellationToken)
    {
        var matches = _operations.Values.Where(filter.Matches)
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).ToList();
        return Task.FromResult(new OperationPage([.. matches.Skip(filter.Offset).Take(filter.Limit)], matches.Count));
    }
}
