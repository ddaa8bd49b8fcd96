using MeshFlow.Workflows;

namespace MeshFlow.Steps;

/// <summary>What the scheduler hands a step: the node, its pass, the outputs it depends on and, in a loop, the feedback.</summary>
/// <param name="Node">The node's index in the graph.</param>
/// <param name="Iteration">How many times the node has run, this step included.</param>
/// <param name="Inputs">The outputs of the nodes whose edges into this one were taken, in edge declaration order.</param>
/// <param name="Feedback">On a later pass of a loop, the output that sent the run back.</param>
/// <param name="PreviousOutput">The node's output of its previous pass, if any.</param>
internal readonly record struct StepWork(int Node, int Iteration, List<NodeInput> Inputs, NodeInput? Feedback, string? PreviousOutput);
