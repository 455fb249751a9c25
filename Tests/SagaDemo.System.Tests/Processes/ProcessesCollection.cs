namespace SagaDemo.System.Tests.Processes;

/// <summary>Classes that start the system as many processes run one after another: two cores cannot host two such systems.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessesCollection
{
    public const string Name = "separate processes";
}
