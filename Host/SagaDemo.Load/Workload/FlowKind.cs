namespace SagaDemo.Load.Workload;

/// <summary>The two business flows the API accepts; each load operation runs one of them.</summary>
public enum FlowKind
{
    User,
    Order,
}

public static class FlowKinds
{
    public static string Name(this FlowKind flow) => flow == FlowKind.User ? "user" : "order";

    public static string Path(this FlowKind flow) =>
        flow == FlowKind.User ? "/operations/user-create" : "/operations/order-create";
}
