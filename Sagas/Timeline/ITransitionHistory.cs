namespace SagaDemo.Sagas.Timeline;

/// <summary>A saga instance that keeps its last <see cref="MaxTransitions"/> state changes, oldest first.</summary>
public interface ITransitionHistory
{
    /// <summary>Far more than either flow's longest path (six changes), so only a looping instance ever loses its oldest.</summary>
    public const int MaxTransitions = 32;

    List<SagaTransition> Transitions { get; set; }
}
