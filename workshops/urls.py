from django.urls import path

from .views import board, facilitator, participant, report

app_name = "workshops"

urlpatterns = [
    path("atelier/", participant.join, name="join"),
    path("atelier/reprendre/", participant.resume, name="resume"),
    path("atelier/moi/", participant.participant_home, name="participant-home"),
    path("atelier/zones/<int:zone_pk>/prendre/", participant.claim_zone, name="claim-zone"),
    path("atelier/effacer/", participant.erase_me, name="erase-me"),
    path("atelier/quitter/", participant.leave, name="leave"),
    path("ateliers/", facilitator.workshop_list, name="list"),
    path("ateliers/nouveau/", facilitator.workshop_create, name="create"),
    path("ateliers/<int:pk>/", facilitator.workshop_detail, name="detail"),
    path("ateliers/<int:pk>/modifier/", facilitator.workshop_edit, name="edit"),
    path("ateliers/<int:pk>/etat/", facilitator.workshop_status, name="status"),
    path("ateliers/<int:pk>/affiche/", facilitator.handout, name="handout"),
    path("ateliers/<int:pk>/participants/", facilitator.pre_register, name="pre-register"),
    path("ateliers/<int:pk>/cartes/", facilitator.participant_cards, name="cards"),
    path("ateliers/<int:pk>/zones/", facilitator.zone_split, name="zones"),
    path(
        "ateliers/<int:pk>/zones/<int:zone_pk>/liberer/",
        facilitator.zone_release,
        name="zone-release",
    ),
    path("ateliers/<int:pk>/tableau/", board.board_page, name="board"),
    path("ateliers/<int:pk>/tableau/etat.json", board.board_state, name="board-state"),
    path("ateliers/<int:pk>/tri/<int:entry_pk>/", board.triage, name="triage"),
    path(
        "ateliers/<int:pk>/participants/<int:participant_pk>/retirer/", board.revert, name="revert"
    ),
    path(
        "ateliers/<int:pk>/annulations/<int:revert_pk>/retablir/",
        board.undo_revert,
        name="undo-revert",
    ),
    path("ateliers/<int:pk>/rapport/", report.report_page, name="report"),
    path("ateliers/<int:pk>/rapport.csv", report.report_csv, name="report-csv"),
]
