# Generated from ui/audit_page.ui — do not edit — regenerate with: python packaging/build_generated.py
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'audit_page.ui'
##
## Created by: Qt User Interface Compiler
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QComboBox,
    QDateEdit, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPushButton, QSizePolicy, QSpacerItem,
    QTableView, QVBoxLayout, QWidget)

class Ui_AuditPage(object):
    def setupUi(self, AuditPage):
        if not AuditPage.objectName():
            AuditPage.setObjectName(u"AuditPage")
        AuditPage.resize(1100, 600)
        self.auditPageLayout = QVBoxLayout(AuditPage)
        self.auditPageLayout.setSpacing(6)
        self.auditPageLayout.setObjectName(u"auditPageLayout")
        self.auditPageLayout.setContentsMargins(8, 8, 8, 8)
        self.filterRow = QHBoxLayout()
        self.filterRow.setSpacing(6)
        self.filterRow.setObjectName(u"filterRow")
        self.userFilterLabel = QLabel(AuditPage)
        self.userFilterLabel.setObjectName(u"userFilterLabel")

        self.filterRow.addWidget(self.userFilterLabel)

        self.userFilter = QComboBox(AuditPage)
        self.userFilter.setObjectName(u"userFilter")
        self.userFilter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.userFilter.setMinimumContentsLength(14)

        self.filterRow.addWidget(self.userFilter)

        self.leadFilterLabel = QLabel(AuditPage)
        self.leadFilterLabel.setObjectName(u"leadFilterLabel")

        self.filterRow.addWidget(self.leadFilterLabel)

        self.leadFilter = QLineEdit(AuditPage)
        self.leadFilter.setObjectName(u"leadFilter")
        self.leadFilter.setMaximumSize(QSize(110, 16777215))
        self.leadFilter.setMaxLength(10)
        self.leadFilter.setClearButtonEnabled(True)

        self.filterRow.addWidget(self.leadFilter)

        self.kindFilterLabel = QLabel(AuditPage)
        self.kindFilterLabel.setObjectName(u"kindFilterLabel")

        self.filterRow.addWidget(self.kindFilterLabel)

        self.kindFilter = QComboBox(AuditPage)
        self.kindFilter.setObjectName(u"kindFilter")
        self.kindFilter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.filterRow.addWidget(self.kindFilter)

        self.sinceCheck = QCheckBox(AuditPage)
        self.sinceCheck.setObjectName(u"sinceCheck")

        self.filterRow.addWidget(self.sinceCheck)

        self.sinceFilter = QDateEdit(AuditPage)
        self.sinceFilter.setObjectName(u"sinceFilter")
        self.sinceFilter.setEnabled(False)
        self.sinceFilter.setCalendarPopup(True)

        self.filterRow.addWidget(self.sinceFilter)

        self.untilCheck = QCheckBox(AuditPage)
        self.untilCheck.setObjectName(u"untilCheck")

        self.filterRow.addWidget(self.untilCheck)

        self.untilFilter = QDateEdit(AuditPage)
        self.untilFilter.setObjectName(u"untilFilter")
        self.untilFilter.setEnabled(False)
        self.untilFilter.setCalendarPopup(True)

        self.filterRow.addWidget(self.untilFilter)

        self.clearFiltersButton = QPushButton(AuditPage)
        self.clearFiltersButton.setObjectName(u"clearFiltersButton")
        self.clearFiltersButton.setAutoDefault(False)

        self.filterRow.addWidget(self.clearFiltersButton)

        self.filterRowSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.filterRow.addItem(self.filterRowSpacer)

        self.exportButton = QPushButton(AuditPage)
        self.exportButton.setObjectName(u"exportButton")
        self.exportButton.setAutoDefault(False)

        self.filterRow.addWidget(self.exportButton)

        self.refreshButton = QPushButton(AuditPage)
        self.refreshButton.setObjectName(u"refreshButton")
        self.refreshButton.setAutoDefault(False)

        self.filterRow.addWidget(self.refreshButton)


        self.auditPageLayout.addLayout(self.filterRow)

        self.auditTable = QTableView(AuditPage)
        self.auditTable.setObjectName(u"auditTable")
        self.auditTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.auditTable.setAlternatingRowColors(True)
        self.auditTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.auditTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.auditTable.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.auditTable.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.auditTable.setShowGrid(False)
        self.auditTable.setSortingEnabled(False)
        self.auditTable.setWordWrap(False)
        self.auditTable.setCornerButtonEnabled(False)
        self.auditTable.horizontalHeader().setHighlightSections(False)
        self.auditTable.horizontalHeader().setStretchLastSection(True)
        self.auditTable.verticalHeader().setVisible(False)

        self.auditPageLayout.addWidget(self.auditTable)

        self.entryDetails = QLabel(AuditPage)
        self.entryDetails.setObjectName(u"entryDetails")
        self.entryDetails.setTextFormat(Qt.TextFormat.PlainText)
        self.entryDetails.setWordWrap(True)
        self.entryDetails.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.auditPageLayout.addWidget(self.entryDetails)

        self.auditStatus = QLabel(AuditPage)
        self.auditStatus.setObjectName(u"auditStatus")

        self.auditPageLayout.addWidget(self.auditStatus)

#if QT_CONFIG(shortcut)
        self.userFilterLabel.setBuddy(self.userFilter)
        self.leadFilterLabel.setBuddy(self.leadFilter)
        self.kindFilterLabel.setBuddy(self.kindFilter)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.userFilter, self.leadFilter)
        QWidget.setTabOrder(self.leadFilter, self.kindFilter)
        QWidget.setTabOrder(self.kindFilter, self.sinceCheck)
        QWidget.setTabOrder(self.sinceCheck, self.sinceFilter)
        QWidget.setTabOrder(self.sinceFilter, self.untilCheck)
        QWidget.setTabOrder(self.untilCheck, self.untilFilter)
        QWidget.setTabOrder(self.untilFilter, self.clearFiltersButton)
        QWidget.setTabOrder(self.clearFiltersButton, self.exportButton)
        QWidget.setTabOrder(self.exportButton, self.refreshButton)
        QWidget.setTabOrder(self.refreshButton, self.auditTable)

        self.retranslateUi(AuditPage)

        QMetaObject.connectSlotsByName(AuditPage)
    # setupUi

    def retranslateUi(self, AuditPage):
#if QT_CONFIG(accessibility)
        AuditPage.setAccessibleName(QCoreApplication.translate("AuditPage", u"Audit trail", None))
#endif // QT_CONFIG(accessibility)
        self.userFilterLabel.setText(QCoreApplication.translate("AuditPage", u"&User:", None))
#if QT_CONFIG(accessibility)
        self.userFilter.setAccessibleName(QCoreApplication.translate("AuditPage", u"User filter", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.userFilter.setToolTip(QCoreApplication.translate("AuditPage", u"Only what this user did, or what someone did as them", None))
#endif // QT_CONFIG(tooltip)
        self.leadFilterLabel.setText(QCoreApplication.translate("AuditPage", u"Lea&d:", None))
#if QT_CONFIG(accessibility)
        self.leadFilter.setAccessibleName(QCoreApplication.translate("AuditPage", u"Lead filter", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.leadFilter.setToolTip(QCoreApplication.translate("AuditPage", u"Only what touched this lead (its id), the reassignments and hand-offs it was part of included", None))
#endif // QT_CONFIG(tooltip)
        self.leadFilter.setPlaceholderText(QCoreApplication.translate("AuditPage", u"lead id", None))
        self.kindFilterLabel.setText(QCoreApplication.translate("AuditPage", u"&Kind:", None))
#if QT_CONFIG(accessibility)
        self.kindFilter.setAccessibleName(QCoreApplication.translate("AuditPage", u"Kind filter", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.kindFilter.setToolTip(QCoreApplication.translate("AuditPage", u"Only one kind of act", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(tooltip)
        self.sinceCheck.setToolTip(QCoreApplication.translate("AuditPage", u"Only entries from a day on", None))
#endif // QT_CONFIG(tooltip)
        self.sinceCheck.setText(QCoreApplication.translate("AuditPage", u"Fro&m:", None))
#if QT_CONFIG(accessibility)
        self.sinceFilter.setAccessibleName(QCoreApplication.translate("AuditPage", u"From date", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.sinceFilter.setToolTip(QCoreApplication.translate("AuditPage", u"Only entries from this day on (your local time)", None))
#endif // QT_CONFIG(tooltip)
        self.sinceFilter.setDisplayFormat(QCoreApplication.translate("AuditPage", u"yyyy-MM-dd", None))
#if QT_CONFIG(tooltip)
        self.untilCheck.setToolTip(QCoreApplication.translate("AuditPage", u"Only entries up to a day", None))
#endif // QT_CONFIG(tooltip)
        self.untilCheck.setText(QCoreApplication.translate("AuditPage", u"T&o:", None))
#if QT_CONFIG(accessibility)
        self.untilFilter.setAccessibleName(QCoreApplication.translate("AuditPage", u"To date", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.untilFilter.setToolTip(QCoreApplication.translate("AuditPage", u"Only entries up to this day, included (your local time)", None))
#endif // QT_CONFIG(tooltip)
        self.untilFilter.setDisplayFormat(QCoreApplication.translate("AuditPage", u"yyyy-MM-dd", None))
#if QT_CONFIG(tooltip)
        self.clearFiltersButton.setToolTip(QCoreApplication.translate("AuditPage", u"Show every entry again", None))
#endif // QT_CONFIG(tooltip)
        self.clearFiltersButton.setText(QCoreApplication.translate("AuditPage", u"Clea&r", None))
#if QT_CONFIG(tooltip)
        self.exportButton.setToolTip(QCoreApplication.translate("AuditPage", u"Write the entries the filters select to a CSV file", None))
#endif // QT_CONFIG(tooltip)
        self.exportButton.setText(QCoreApplication.translate("AuditPage", u"&Export CSV\u2026", None))
        self.refreshButton.setText(QCoreApplication.translate("AuditPage", u"Re&fresh", None))
#if QT_CONFIG(accessibility)
        self.auditTable.setAccessibleName(QCoreApplication.translate("AuditPage", u"Audit entries", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.entryDetails.setAccessibleName(QCoreApplication.translate("AuditPage", u"The selected entry", None))
#endif // QT_CONFIG(accessibility)
        self.entryDetails.setText("")
        self.auditStatus.setText("")
    # retranslateUi

