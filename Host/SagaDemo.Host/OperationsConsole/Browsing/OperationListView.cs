using SagaDemo.Services.Operations;

namespace SagaDemo.Host.OperationsConsole.Browsing;

/// <summary>One page of <c>GET /operations</c>: the operations, the number of all matches, where the next page starts.</summary>
public sealed record OperationListView(IReadOnlyList<OperationView> Items, int Total, int Offset, int? NextOffset);
