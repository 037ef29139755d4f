"""Solvers: :func:`~deterrence.solvers.facade.solve`, the solver registry, and one module per algorithm.

* :mod:`~deterrence.solvers.facade` -- ``solve(game, concept, method)``, which dispatches through
  :mod:`~deterrence.solvers.registry` (the built-in entries are in
  :mod:`~deterrence.solvers.catalog`) and is the only builder of a ``SolveResult``.
* :mod:`~deterrence.solvers.result` -- ``Equilibrium``, ``Solution`` (what a solver returns)
  and ``SolveResult``; :mod:`~deterrence.solvers.profiles` builds verified normal-form equilibria;
  :mod:`~deterrence.solvers.verify` holds the regret checks.
* Two-player normal form: :mod:`~deterrence.solvers.enumeration` (all equilibria, by
  :mod:`~deterrence.solvers.vertex_enumeration` on the polytopes of
  :mod:`~deterrence.solvers.polytope_exact` and :mod:`~deterrence.solvers.polytope_float`, or by
  :mod:`~deterrence.solvers.support_enumeration`, or :mod:`~deterrence.solvers.nashpy_backend`),
  with results of type :class:`~deterrence.solvers.bimatrix.BimatrixEquilibria`;
  :mod:`~deterrence.solvers.small_games` for batches of small games.
* Any normal form: :mod:`~deterrence.solvers.pure`, :mod:`~deterrence.solvers.dominance`.
* Trees: :mod:`~deterrence.solvers.reduced` (through the reduced normal form),
  :mod:`~deterrence.solvers.spe` (backward induction), :mod:`~deterrence.solvers.spe_batch`
  (batched, on :mod:`deterrence.forms.compiled_tree`), :mod:`~deterrence.solvers.sequence_form`
  (zero-sum LP).

Importing this package imports none of them.
"""
