package dev.starling;

/**
 * Thrown when pushing tasks would exceed the network's task budget. Nothing of the rejected batch is stored.
 */
public final class BudgetExhaustedException extends StarlingException {
    public BudgetExhaustedException(String network, long budget, long created, int requested) {
        super("network '" + network + "' has a budget of " + budget + " tasks and " + created
                + " exist already; pushing " + requested + " more would exceed it (nothing was pushed)."
                + " Push fewer tasks or create the network with a larger budget.");
    }
}
