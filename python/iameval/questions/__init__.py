"""Questions about whole accounts and organizations (issue 11, part 2): ``can`` so far.

- :class:`Environment`: loaded accounts (:func:`iameval.account.load_gaad`), their organization and resource
  policies; it builds the exact policy set and request for a principal, action and resource.
- :func:`can`: the decision for one principal, action and resource, with the deciding statements named after
  the policies of the export, as an :class:`Answer`.
- :class:`Answers`: a table of answers (JSON, CSV, pandas, Arrow); every question answers with rows of the same
  shape.
"""

from iameval.questions.answer import FIELDS, Answer, Answers, PolicyRef
from iameval.questions.can import can
from iameval.questions.environment import Environment, Subject

__all__ = ["FIELDS", "Answer", "Answers", "Environment", "PolicyRef", "Subject", "can"]
