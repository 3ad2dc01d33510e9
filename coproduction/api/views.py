"""The contribution API: thin views over the contribution services."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.generics import ListCreateAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ..authors import contributor_for_request
from ..models import Contribution, Dataset, Feature
from ..quality import validate_value
from ..services.contributions import (
    ContributionForbidden,
    ContributionInvalid,
    DuplicateClientUuid,
    create_contribution,
    edit_contribution,
    withdraw_contribution,
)
from ..services.photos import PhotoRejected, clean_photo
from .serializers import (
    ContributionCreateSerializer,
    ContributionEditSerializer,
    ContributionSerializer,
    ValidationResultSerializer,
)

ERRORS_RESPONSE = OpenApiResponse(description='{"errors": {field: [message, …]}}')


def _errors(errors: dict[str, list[str]], code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"errors": errors}, status=code)


def _contributor(request):
    """Every contribution endpoint needs an author: a signed-in user or a workshop participant
    (who has no account, hence no DRF permission class: the check is this one)."""
    contributor = contributor_for_request(request)
    if contributor is None:
        raise NotAuthenticated(_("Connectez-vous pour proposer une correction."))
    return contributor


class ContributionListCreate(ListCreateAPIView):
    """List your own contributions, or propose one."""

    serializer_class = ContributionSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        contributor = _contributor(self.request)
        queryset = (
            Contribution.objects.filter(author=contributor)
            .select_related("dataset", "feature", "author")
            .prefetch_related("competing")
        )
        params = self.request.query_params
        if params.get("dataset"):
            queryset = queryset.filter(dataset__slug=params["dataset"])
        if params.get("feature"):
            queryset = queryset.filter(feature_id=params["feature"])
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        return queryset

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "contributor": contributor_for_request(self.request),
        }

    @extend_schema(
        parameters=[
            OpenApiParameter("dataset", str),
            OpenApiParameter("feature", int),
            OpenApiParameter("status", str, enum=Contribution.Status.values),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ContributionCreateSerializer,
        responses={
            201: ContributionSerializer,
            200: OpenApiResponse(ContributionSerializer, description="Already stored (retry)."),
            400: ERRORS_RESPONSE,
            409: ERRORS_RESPONSE,
        },
    )
    def post(self, request, *args, **kwargs):
        contributor = _contributor(request)
        incoming = ContributionCreateSerializer(data=request.data)
        if not incoming.is_valid():
            return _errors(incoming.errors)
        data = incoming.validated_data
        dataset = Dataset.objects.filter(slug=data["dataset"]).first()
        if dataset is None:
            return _errors({"dataset": [_("Jeu de données inconnu.")]})
        feature = None
        if data.get("feature") is not None:
            feature = Feature.objects.filter(pk=data["feature"]).first()
            if feature is None:
                return _errors({"feature": [_("Lieu inconnu.")]})
        try:
            contribution, created = create_contribution(
                contributor,
                dataset,
                client_uuid=data["client_uuid"],
                kind=data["kind"],
                feature=feature,
                base_version=data.get("base_version"),
                comment=data.get("comment", ""),
                changes=data.get("changes"),
                geometry=data.get("geometry"),
                value_sources=data.get("value_sources"),
            )
        except ContributionInvalid as exc:
            return _errors(exc.errors)
        except DuplicateClientUuid as exc:
            return _errors({"client_uuid": [str(exc)]}, status.HTTP_409_CONFLICT)
        except ContributionForbidden as exc:
            return _errors({"detail": [str(exc)]}, status.HTTP_403_FORBIDDEN)
        body = ContributionSerializer(contribution, context={"contributor": contributor}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ContributionDetail(APIView):
    """One of your contributions; edit it while it is pending."""

    permission_classes = [AllowAny]

    def _get(self, request, pk: int):
        contributor = _contributor(request)
        contribution = get_object_or_404(
            Contribution.objects.select_related("dataset", "feature", "author"), pk=pk
        )
        if not contribution.can_view(contributor, request.user):
            raise NotFound()
        return contributor, contribution

    @extend_schema(responses=ContributionSerializer)
    def get(self, request, pk: int):
        contributor, contribution = self._get(request, pk)
        return Response(
            ContributionSerializer(contribution, context={"contributor": contributor}).data
        )

    @extend_schema(
        request=ContributionEditSerializer,
        responses={200: ContributionSerializer, 400: ERRORS_RESPONSE, 403: ERRORS_RESPONSE},
    )
    def patch(self, request, pk: int):
        contributor, contribution = self._get(request, pk)
        incoming = ContributionEditSerializer(data=request.data)
        if not incoming.is_valid():
            return _errors(incoming.errors)
        data = request.data
        try:
            contribution = edit_contribution(
                contribution,
                contributor,
                comment=data.get("comment"),
                changes=data.get("changes"),
                geometry=data.get("geometry"),
            )
        except ContributionInvalid as exc:
            return _errors(exc.errors)
        except ContributionForbidden as exc:
            return _errors({"detail": [str(exc)]}, status.HTTP_403_FORBIDDEN)
        return Response(
            ContributionSerializer(contribution, context={"contributor": contributor}).data
        )


@extend_schema(request=None, responses={200: ContributionSerializer, 403: ERRORS_RESPONSE})
@api_view(["POST"])
@permission_classes([AllowAny])
def withdraw(request, pk: int):
    contributor = _contributor(request)
    contribution = get_object_or_404(Contribution, pk=pk)
    try:
        contribution = withdraw_contribution(contribution, contributor)
    except ContributionForbidden as exc:
        return _errors({"detail": [str(exc)]}, status.HTTP_403_FORBIDDEN)
    return Response(ContributionSerializer(contribution, context={"contributor": contributor}).data)


@extend_schema(
    request={
        "multipart/form-data": {
            "type": "object",
            "properties": {"photo": {"type": "string", "format": "binary"}},
        }
    },
    responses={200: ContributionSerializer, 400: ERRORS_RESPONSE, 403: ERRORS_RESPONSE},
)
@api_view(["POST"])
@permission_classes([AllowAny])
@parser_classes([MultiPartParser])
def attach_photo(request, pk: int):
    contributor = _contributor(request)
    contribution = get_object_or_404(Contribution, pk=pk)
    if not contribution.can_edit(contributor):
        return _errors(
            {"detail": [_("Vous ne pouvez modifier que vos propres propositions en attente.")]},
            status.HTTP_403_FORBIDDEN,
        )
    upload = request.FILES.get("photo")
    if upload is None:
        return _errors({"photo": [_("Choisissez une photo.")]})
    try:
        photo = clean_photo(upload)
    except PhotoRejected as exc:
        return _errors({"photo": [str(exc)]})
    if contribution.photo:
        contribution.photo.delete(save=False)
    contribution.photo.save(photo.name, photo, save=True)
    return Response(ContributionSerializer(contribution, context={"contributor": contributor}).data)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "type",
            str,
            required=True,
            enum=["postcode", "opening_hours", "siret", "phone", "url", "email", "insee"],
        ),
        OpenApiParameter("value", str, required=True),
    ],
    responses=ValidationResultSerializer,
)
@api_view(["GET"])
@permission_classes([AllowAny])
def validate(request):
    """Check one value as the person types it (the page calls this while they type)."""
    kind = request.query_params.get("type", "")
    value = request.query_params.get("value", "").strip()[:1000]
    message = validate_value(kind, value) if value else None
    return Response({"valid": message is None, "message": message or ""})
