/**
 * AdmissionReview requests shaped exactly as kube-apiserver sends them to a webhook ({@link
 * tools.iter8.testkit.admission.AdmissionReviewBuilder}), and the objects it puts in them ({@link
 * tools.iter8.testkit.admission.ApiServerObjects}): what a stored object looks like, and what a {@code
 * kubectl apply} or {@code helm upgrade} turns into by the time the webhook sees it.
 */
package tools.iter8.testkit.admission;
